"""The closed lists of names that ``list-order`` and ``coordination-order`` may reorder.

Items are only reordered when they come from these lists (places,
nationalities, parties) or are people the document itself titles: open-ended
``A and B`` often carries meaning (``came in and sat down``, ``Marks and
Spencer``).
"""

from __future__ import annotations

from barium.variants.suggest.lexicon import wordset


def _names(single: str, multi: str = "") -> list[str]:
    """Names from ``single`` (one word each, space-separated) and ``multi`` ('|'-separated)."""
    return single.split() + [m for m in multi.split("|") if m]


COUNTRIES = _names(
    "Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan Bahrain Bangladesh Belarus "
    "Belgium Bolivia Brazil Britain Bulgaria Burma Cambodia Cameroon Canada Chile China Colombia Croatia Cuba "
    "Cyprus Denmark Ecuador Egypt England Estonia Ethiopia Finland France Germany Ghana Greece Hungary Iceland "
    "India Indonesia Iran Iraq Ireland Israel Italy Jamaica Japan Kazakhstan Kenya Kuwait Latvia Lebanon Liberia "
    "Libya Lithuania Luxembourg Malaysia Malta Mexico Moldova Morocco Mozambique Namibia Nepal Nigeria Norway "
    "Pakistan Peru Poland Portugal Qatar Romania Russia Rwanda Scotland Senegal Serbia Singapore Slovakia Slovenia "
    "Somalia Spain Sudan Sweden Switzerland Syria Taiwan Tanzania Thailand Tunisia Uganda Ukraine Uruguay "
    "Uzbekistan Venezuela Vietnam Wales Yemen Zambia Zimbabwe Europe Asia Africa",
    "South Africa|South Korea|North Korea|New Zealand|Saudi Arabia|Sri Lanka|Hong Kong|Northern Ireland|"
    "Latin America|Ivory Coast|Sierra Leone",
)
CITIES = _names(
    "London Paris Berlin Madrid Rome Tokyo Beijing Moscow Brussels Dublin Edinburgh Glasgow Cardiff Belfast "
    "Birmingham Leeds Bristol Sheffield Chicago Boston Sydney Melbourne Mumbai Delhi Shanghai Toronto Vienna "
    "Amsterdam Geneva Zurich Milan Barcelona Lisbon Athens Stockholm Oslo Copenhagen Helsinki Warsaw Prague "
    "Budapest Istanbul Baghdad Tehran Jerusalem Cairo Beirut Kabul Islamabad Seoul Bangkok Jakarta",
    "New York|Los Angeles|San Francisco|New Delhi",
)
# Places that take "the" as nouns; bare, the abbreviations also work as adjectives (US and UK troops).
THE_PLACES = _names(
    "US UK EU UN IMF Netherlands Philippines Caribbean",
    "United States|United Kingdom|Czech Republic|Middle East|Far East|European Union|Soviet Union|World Bank",
)
ABBREVIATED_PLACES = wordset("US UK EU UN IMF")
NATIONALITIES = _names(
    "British English Scottish Welsh Irish French German Italian Spanish Portuguese Dutch Belgian Swiss Austrian "
    "Swedish Norwegian Danish Finnish Polish Czech Hungarian Romanian Bulgarian Greek Turkish Russian Ukrainian "
    "American Canadian Mexican Brazilian Argentine Argentinian Chilean Chinese Japanese Korean Indian Pakistani "
    "Afghan Iraqi Iranian Israeli Palestinian Syrian Lebanese Egyptian Saudi Kenyan Nigerian Australian European "
    "Asian African Arab Muslim Christian Jewish Hindu Sikh Catholic Protestant"
)
PARTIES = _names(
    "Labour Conservative Conservatives Tory Tories Republican Republicans Democrat Democrats",
    "Liberal Democrat|Liberal Democrats|Lib Dem|Lib Dems",
)
# Pairs that are one name, not two: never reordered.
FIXED_PAIRS = frozenset(
    frozenset(p)
    for p in (
        ("Serbia", "Montenegro"),
        ("Trinidad", "Tobago"),
        ("Bosnia", "Herzegovina"),
        ("Antigua", "Barbuda"),
        ("Turks", "Caicos"),
        ("Sao Tome", "Principe"),
    )
)
CATEGORY: dict[str, str] = {}
CATEGORY.update(dict.fromkeys(COUNTRIES + CITIES + THE_PLACES, "place"))
CATEGORY.update(dict.fromkeys(NATIONALITIES, "nationality"))
CATEGORY.update(dict.fromkeys(PARTIES, "party"))
