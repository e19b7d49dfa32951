"""Reading content canaries from a reporter's own words."""

from __future__ import annotations

from barium.channels.base import Site
from barium.channels.variants import VariantsChannel
from barium.formats.load import parse_text
from barium.formats.variants import extract_variants
from barium.tracing.content import kind_of, read_content

MEMO = """# Operation Harbour Light

Raids will take place in {{order: Leeds, Hull and York}} on 14 March. About {{37~2}} officers will be
deployed with {{12~3}} unmarked vans painted {{white|grey|navy}}. Teams will be briefed at
{{the Crown hotel|the Station hotel|the Mercure hotel}} the evening before.

A total of {{1,200~100}} leaflets will be printed for residents.
"""


def memo() -> tuple[str, list[Site]]:
    doc = extract_variants(parse_text(MEMO))
    return doc.text, VariantsChannel().find_sites(doc)


def said(article: str) -> dict[str, str]:
    """What each canary (by its master form) reads as in ``article``."""
    text, sites = memo()
    return {sites[s].forms[0]: sites[s].forms[r.form] for s, r in read_content(text, sites, article).items()}


def test_kinds_come_from_the_forms() -> None:
    _, sites = memo()
    assert [kind_of(s.forms) for s in sites] == ["order", "number", "number", "detail", "detail", "number"]


def test_a_paraphrase_gives_back_every_detail_it_restates() -> None:
    article = (
        "Police will raid homes in York, then Leeds and finally Hull, a plan seen by the Gazette shows. "
        "Thirty-six officers in fourteen grey vans are to meet the night before at the Station Hotel, "
        "and 1,140 leaflets have been printed."
    )
    assert said(article) == {
        "Leeds, Hull and York": "York, Leeds and Hull",
        "37": "36",
        "12": "14",
        "white": "grey",
        "the Crown hotel": "the Station hotel",
        "1,200": "1,140",
    }


def test_what_the_article_does_not_say_is_erased_not_guessed() -> None:
    # Rounded ("nearly 40"), two colours at once, a hotel not named, cities not listed.
    article = "Nearly 40 officers in grey and navy vans will take part in raids across Yorkshire next month."
    assert said(article) == {}


def test_a_number_is_read_by_the_words_around_it() -> None:
    # 14 is a value both number canaries could show: the words around it decide.
    assert said("The operation needs 14 vans.") == {"12": "14"}
    assert said("Only 38 officers were told.") == {"37": "38"}


def test_a_list_named_only_in_part_is_read_as_the_orders_it_fits() -> None:
    # All three named: one order. Hull then Leeds, named as a list: the three orders
    # with Hull before Leeds. Named apart, in passing: not read.
    assert said("Teams go to Hull, York and Leeds.") == {"Leeds, Hull and York": "Hull, York and Leeds"}
    assert orders("Teams go to Hull and then Leeds.") == [
        "Hull, Leeds and York",
        "Hull, York and Leeds",
        "York, Hull and Leeds",
    ]
    passing = "Hull will see rain today. The weather service said on Monday that the storms would later reach Leeds."
    assert said(passing) == {}


def orders(article: str, markup: str = MEMO) -> list[str]:
    """The orders of the list (the first canary of ``markup``) that ``article`` fits."""
    text, sites = memo_with(markup)
    (got,) = read_content(text, sites, article).values()
    return sorted(sites[0].forms[f] for f in got.forms)


def test_a_list_named_in_part_says_where_it_starts_and_ends() -> None:
    # "first", "starting in": the first item named opens the list; "finally", "last":
    # the last one closes it. "Last week" dates the raids, it places no city.
    assert orders("Teams go first to Hull and then Leeds.") == ["Hull, Leeds and York", "Hull, York and Leeds"]
    assert orders("Raids start in Hull and end in Leeds.") == ["Hull, York and Leeds"]
    assert orders("Raids hit Hull, with York last.") == ["Hull, Leeds and York", "Leeds, Hull and York"]
    assert orders("Teams went to Hull and Leeds last week.") == orders("Teams go to Hull and then Leeds.")


def test_an_item_is_not_named_by_a_word_every_copy_says() -> None:
    # "compliance" is the master's own word (the Compliance Team): "compliance staff" is
    # not "two compliance officers", so two items are named, not three.
    markup = "Hire {{order: two compliance officers, a data analyst and an agent manager}} for the Compliance Team."
    named = orders("The university is hiring compliance staff, among them a data analyst and an agent manager.", markup)
    assert len(named) == 3 and all(f.index("data analyst") < f.index("agent manager") for f in named)


def test_a_list_named_loosely_yields_to_one_named_as_a_list() -> None:
    # "agents" names "an agent manager" by one of its two words, far from the others:
    # the list is the two items named together, in their order.
    markup = "Hire {{order: two compliance officers, a data analyst and an agent manager}}."
    article = (
        "The plan suspends work with uncontracted agents and is hiring more new staff, "
        "among them two compliance officers and a data analyst."
    )
    named = orders(article, markup)
    assert len(named) == 3 and all(f.index("compliance") < f.index("data analyst") for f in named)


def test_a_list_is_read_where_it_names_its_items_not_at_their_other_mentions() -> None:
    # "data-sharing" said earlier in passing is not where the list names data sharing.
    markup = "Work runs in four strands: {{order: communications, fuel, data sharing and welfare}}."
    article = (
        "It wants a fuel protocol and a new data-sharing agreement by the summer, with the work in four "
        "strands, the first two being communications and data sharing, each with a lead."
    )
    named = orders(article, markup)
    assert named and all(f.index("communications") < f.index("data sharing") for f in named)


def test_a_name_is_not_read_from_a_common_noun() -> None:
    # "couriers" names Redline Couriers only as a name, with its capital.
    text, sites = memo_with("Papers went by {{Redline Couriers|Swiftpath Logistics|Granger Haulage}} that week.")
    assert read_content(text, sites, "The printers and couriers were not to blame.") == {}
    (got,) = read_content(text, sites, "The papers went by Redline Couriers.").values()
    assert sites[0].forms[got.form] == "Redline Couriers"


def test_a_number_is_read_as_what_it_counts() -> None:
    # Twenty years of watching nests are not 20 of the 19 to 25 handlers; the law's
    # fixed 50 per cent is not the copy's turnout of 50 to 57 per cent.
    text, sites = memo_with("Each team has a handler; {{22~3}} handlers are allocated to the sites.")
    assert read_content(text, sites, "An ecologist who has watched the nests for twenty years.") == {}
    text, sites = memo_with(
        "Turnout is tracking at {{54~3}} per cent, with little margin for error. "
        "The law requires at least 50 per cent of members to vote."
    )
    article = "Turnout is at 56 per cent, close to the 50 per cent required by law, with little margin."
    (got,) = read_content(text, sites, article).values()
    assert sites[0].forms[got.form] == "56" and not got.also
    # A fixed figure with far less context in common does not take the canary's: the
    # twelve pumps are not what is "12 weeks overdue".
    text, sites = memo_with(
        "The quarterly inspection was about {{11~2}} weeks overdue on the day. At the station, 12 pumps failed."
    )
    article = "The standby pump, whose quarterly inspection was some 12 weeks overdue, failed to start."
    (got,) = read_content(text, sites, article).values()
    assert sites[0].forms[got.form] == "12"


def test_a_number_every_copy_implies_is_not_read_as_a_canary() -> None:
    # "three cities" counts the list; "Berth 14" names a place; "14 March" is the fixed
    # date: none is the count of vans, though 14 and 3 are in its range... 12~3 is 9..15.
    text, sites = memo_with(
        "Raids on {{order: Leeds, Hull and York}} on 14 March use {{12~3}} vans from {{Berth 14|Dock 2|Quay 7}}."
    )
    got = read_content(text, sites, "Officers will hit three cities on 14 March, leaving from Berth 14.")
    assert {sites[s].forms[0]: sites[s].forms[r.form] for s, r in got.items()} == {"Berth 14": "Berth 14"}


def test_a_round_estimate_is_not_read_as_the_figure() -> None:
    # "about 40" of 35 to 39 is out of range anyway; "a dozen" and "around 10" of 9 to 15
    # are a reporter's rounding; "about 13" is a figure, hedged or not.
    assert said("They will use a dozen vans.") == {}
    assert said("They will use around 10 vans.") == {}
    assert said("They will use about 13 vans.") == {"12": "13"}


def test_a_round_estimate_is_read_as_the_values_it_rounds() -> None:
    # 1,100 to 1,300 by 20: "about 1,200" rounds 1,160 to 1,240 (to the nearest 100);
    # "more than 1,200" is 1,200 to 1,300, "nearly 1,200" 1,100 to 1,200.
    text, sites = memo()
    leaflets = next(s for s, site in enumerate(sites) if site.forms[0] == "1,200")

    def fits(article: str) -> list[str]:
        got = read_content(text, sites, article)[leaflets]
        return sorted(sites[leaflets].forms[f] for f in got.forms)

    assert fits("About 1,200 leaflets were printed.") == ["1,160", "1,180", "1,200", "1,220", "1,240"]
    assert fits("More than 1,200 leaflets were printed.") == ["1,200", "1,220", "1,240", "1,260", "1,280", "1,300"]
    assert fits("Nearly 1,200 leaflets were printed.") == ["1,100", "1,120", "1,140", "1,160", "1,180", "1,200"]
    assert fits("Some 1,140 leaflets were printed.") == ["1,140"]
    assert fits("1,200-odd leaflets were printed.") == fits("More than 1,200 leaflets were printed.")


def memo_with(markup: str) -> tuple[str, list[Site]]:
    doc = extract_variants(parse_text(markup))
    return doc.text, VariantsChannel().find_sites(doc)


def test_an_item_that_holds_and_is_one_item_of_the_list() -> None:
    text, sites = memo_with(
        "Copies go to {{order: the county manager, the Mine Safety and Health Administration and the insurers}}."
    )
    assert kind_of(sites[0].forms) == "order"
    article = "The paper went to the insurers, the Mine Safety and Health Administration and the county manager."
    (got,) = read_content(text, sites, article).values()
    assert (
        sites[0].forms[got.form].startswith("the insurers, the Mine Safety and Health Administration") and not got.also
    )


def test_money_is_read_as_the_master_writes_its_figure() -> None:
    # The master writes millions as "m" and thousands after the canary; a reporter writes
    # "£3.7m" and "£670,000" (or "£670k") for copies that say 3.7 and 670.
    text, sites = memo_with("Repairs cost about £{{3.8~0.2}}m, and closing the routes saves £{{640~40}},000 a year.")
    for article in (
        "The repair bill is about £3.7m, and the cuts would save £670,000 a year.",
        "The repair bill is about £3.7 million, and the cuts would save £670k a year.",
    ):
        got = read_content(text, sites, article)
        assert {sites[s].forms[0]: sites[s].forms[r.form] for s, r in got.items()} == {"3.8": "3.7", "640": "670"}
    # In thousands only where the master writes them: the memo's "1,200 leaflets" are
    # no thousands, so 1,140,000 leaflets is no copy's figure.
    assert said("They printed 1,140,000 leaflets.") == {}


def test_the_figure_is_read_before_a_round_estimate_of_it() -> None:
    # A headline's "around 20 minutes" and the text's "about 16 minutes": the figure.
    text, sites = memo_with("The man was on the airfield for some {{19~3}} minutes before he was seen.")
    article = (
        "Intruder roamed airfield for around 20 minutes\n\nA man was on the airfield undetected for about 16 minutes."
    )
    (got,) = read_content(text, sites, article).values()
    assert sites[0].forms[got.form] == "16" and not got.also


def test_a_list_is_where_its_items_are_named_in_full() -> None:
    # "customers" said just before the list is not where "disabled customers" is named.
    text, sites = memo_with("Call {{order: carers, pensioners, families with babies and disabled customers}} first.")
    article = "Staff call vulnerable customers first, in particular carers and pensioners, as well as families with babies and disabled customers."
    (got,) = read_content(text, sites, article).values()
    assert sites[0].forms[got.form] == "carers, pensioners, families with babies and disabled customers"


def test_a_list_named_in_part_lies_in_one_sentence() -> None:
    # Hull and Leeds side by side, but across a full stop: no list.
    assert said("Teams go first to Hull and then Leeds.") != {}
    assert said("Teams went to Hull. Leeds was quiet.") == {}
