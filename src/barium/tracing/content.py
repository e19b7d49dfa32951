"""Reading content canaries from a reporter's own words.

A paraphrase keeps no sentence of the copy, so nothing can be aligned: the
alternatives of an author variant are found instead by what they say. Three kinds,
told apart by the forms themselves (:mod:`barium.formats.canaries`):

- **numbers** (every form a number): the number the article writes next to the
  words the master has around the canary ("36 officers"), in digits or in words;
- **orders** (every form the same items in another order): the items' order where
  the article names them close together;
- **details** (anything else): the one alternative whose distinctive words (words
  no other alternative and no other part of the master uses) the article contains.

A canary the article does not mention, or mentions in a way that fits no single
alternative ("nearly 40 officers"), is erased, never guessed. A list named in part
("Leeds, then Hull") is read as the set of orders it fits, the first or last item
placed where the article says ("starting in Leeds", "and finally York"): the tracer
counts a copy as agreeing when its order is one of them, with the chance of the whole
set.

The reading is a function of the article and the master only, never of anyone's
codeword: an innocent's symbols are independent of it, so the false-accusation
bound holds however the reading errs (a misreading costs the leaker score only).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from barium.channels.base import Site
from barium.channels.variants import VariantsChannel
from barium.formats.canaries import split_list
from barium.text.numbers import NumberMention, hedged_before, number_mentions, parse_number
from barium.text.sentences import sentence_spans
from barium.text.tokens import Token, tokenize
from barium.text.words import is_content

CONTEXT = 10  # words either side of a canary, or of a number in the article, that count as its context
MIN_CONTEXT = 0.3  # the weakest context a number is read with: one shared word, adjacent or nearly
FIXED_WEIGHT = 2.0  # how much more a master's fixed figure's context counts than a canary's
ORDER_SPAN = 40  # words within which the items of a list must all be named
LIST_GAP = 6  # words at most between two items of a list named in part ("Leeds, and then on to Hull")
CHANNEL = VariantsChannel.name


@dataclass(frozen=True, slots=True)
class ContentRead:
    """One canary read by content: the form, and where the article says it.

    ``also``: other forms the article fits as well, when it restates the canary only
    in part ("raids first in Leeds and Hull" of four cities fits the two orders that
    start so); empty when it fits ``form`` alone.
    """

    form: int
    start: int
    end: int
    also: tuple[int, ...] = ()

    @property
    def forms(self) -> tuple[int, ...]:
        return (self.form, *self.also)


def kind_of(forms: Sequence[str]) -> str:
    """``"number"``, ``"order"`` or ``"detail"``: how a variant is read from a paraphrase."""
    if all(parse_number(f) is not None for f in forms):
        return "number"
    return "order" if list_orders(forms) is not None else "detail"


def list_orders(forms: Sequence[str]) -> tuple[tuple[str, ...], list[list[int]]] | None:
    """The items of a list canary (as the master's form names them) and, per form, the
    order it names them in; None when the forms are not one list in several orders.

    Each form is read against the master's items, not split on its own last "and": an
    item may hold one ("the Mine Safety and Health Administration")."""
    shape = split_list(forms[0])
    if shape is None:
        return None
    orders = [_order_in(f, shape.items) for f in forms]
    if any(o is None for o in orders):
        return None
    return shape.items, [o for o in orders if o is not None]


_LIST_JOIN = re.compile(r",?\s+(?:and|or)\s+|,\s*")


def _order_in(text: str, items: Sequence[str]) -> list[int] | None:
    """The order in which ``text`` names every one of ``items``, joined by commas and
    "and"/"or"; None if it is not exactly that."""
    out: list[int] = []
    at = 0
    while True:
        named = [n for n, item in enumerate(items) if n not in out and text.startswith(item, at)]
        if not named:
            return None
        n = max(named, key=lambda k: len(items[k]))
        out.append(n)
        at += len(items[n])
        if at == len(text):
            return out if len(out) == len(items) else None
        join = _LIST_JOIN.match(text, at)
        if join is None:
            return None
        at = join.end()


def read_content(
    master: str,
    sites: Sequence[Site],
    article: str,
    *,
    only: Collection[int] | None = None,
) -> dict[int, ContentRead]:
    """Site index -> what the article says of it, for the variant sites it mentions
    (of ``only``, when given)."""
    variant_sites = [s for s, site in enumerate(sites) if site.channel == CHANNEL]
    wanted = [s for s in variant_sites if only is None or s in only]
    if not wanted:
        return {}
    words = _Words(master, [sites[s] for s in variant_sites], article)
    found: dict[int, ContentRead] = {}
    numbers: dict[int, Site] = {}
    for s in wanted:
        kind = kind_of(sites[s].forms)
        if kind == "number":
            numbers[s] = sites[s]
            continue
        got = words.order(sites[s]) if kind == "order" else words.detail(sites[s])
        if got is not None:
            found[s] = got
    found.update(words.numbers(numbers))
    return found


def _stem(key: str) -> str:
    """A word as the reader compares it: plurals and possessives ("depots", "Hull's"),
    "-ing" and "-ed" ("costing", "planned") and a final "e" ("reserve", "reserved") off,
    so that a reporter's "costing" is the master's "cost"."""
    if len(key) > 3 and key.endswith("s"):
        key = key[:-1]
    for suffix in ("ing", "ed"):
        if key.endswith(suffix) and len(key) - len(suffix) >= 3:
            key = key[: -len(suffix)]
            if len(key) > 3 and key[-1] == key[-2] and key[-1] not in "aeilosu":
                key = key[:-1]  # "planned", "running"
            break
    return key[:-1] if len(key) > 4 and key.endswith("e") else key


def _keyed(*words: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in words)


# Words that say where in a list an item named in part stands, at most CUE_REACH words
# before it or right after it ("starting in Leeds", "Leeds first"; "and finally York",
# "York last"), as _stem keys them.
CUE_REACH = 3
_OPENS = _keyed("first", "start", "begin", "initially")
_OPENS_AFTER = _keyed("first")
_CLOSES = _keyed("finally", "last", "lastly", "end", "finish")
_CLOSES_AFTER = _keyed("last")
# Words after a cue that make it a date ("last week", "first time"), not a place in a list.
_TIMES = _keyed(
    *("week", "month", "year", "night", "time", "summer", "winter", "spring", "autumn", "quarter", "half", "day"),
    *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend", "season"),
)
# Spans of time: a number followed by one counts time, not the master's thing.
_DURATIONS = _keyed("second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade")


class _Words:
    """The master's and the article's words, with what each variant owns alone."""

    def __init__(self, master: str, sites: Sequence[Site], article: str) -> None:
        self.master = master
        self.master_tokens = master_tokens = _words(master)
        self.article = article
        self.article_tokens = article_tokens = _words(article)
        self.article_keys = [_stem(t.key) for t in article_tokens]
        self.at: dict[str, list[int]] = {}  # article word -> where it is, in order
        for i, k in enumerate(self.article_keys):
            self.at.setdefault(k, []).append(i)
        self.article_starts = [t.start for t in article_tokens]
        self.article_ends = [t.end for t in article_tokens]
        ends = [end for _, end in sentence_spans(article)]
        self.sentence_of = [bisect.bisect_left(ends, t.end) for t in article_tokens]  # article word -> its sentence
        self.starts = [t.start for t in master_tokens]
        inside = [False] * len(master_tokens)
        for site in sites:
            for i in range(bisect.bisect_left(self.starts, site.start), bisect.bisect_left(self.starts, site.end)):
                inside[i] = True
        self.inside = inside
        # Words of the master outside every variant: what every copy says.
        self.fixed = {_stem(t.key) for t, own in zip(master_tokens, inside, strict=True) if not own}
        self.fixed_numbers = _fixed_numbers(master, sites)
        form_words = {id(site): [(f, _words(f)) for f in site.forms] for site in sites}
        self.form_keys = {i: [{_stem(t.key) for t in ws} for _, ws in forms] for i, forms in form_words.items()}
        # Per form, its words written with a capital: names ("Redline Couriers").
        self.capitalised = {
            i: [{_stem(t.key) for t in ws if f[t.start].isupper()} for f, ws in forms]
            for i, forms in form_words.items()
        }
        # How many variants use each word in some alternative.
        self.users: Counter[str] = Counter()
        for site in sites:
            self.users.update(set().union(*self.form_keys[id(site)]))

    def detail(self, site: Site) -> ContentRead | None:
        """The alternative whose distinctive words the article uses (exactly one)."""
        mine = self.form_keys[id(site)]
        hits: dict[int, list[int]] = {}
        for f, keys in enumerate(mine):
            rivals = set().union(*(k for g, k in enumerate(mine) if g != f))
            # Distinctive: no other alternative, no other variant, no fixed word of the master says it.
            own = {k for k in keys if is_content(k) and k not in rivals and k not in self.fixed and self.users[k] == 1}
            # A name in the alternative ("Redline Couriers") is not named by the common
            # noun ("printers and couriers"): a capital there wants one in the article.
            capital = self.capitalised[id(site)][f]
            found = []
            for k in own:
                named = (i for i in self.at.get(k, ()) if k not in capital or self._capital(i))
                first = next(named, None)
                if first is not None:
                    found.append(first)
            if found:
                hits[f] = found
        # The one alternative the article names, or the one it names by more of its own
        # words than any other ("the forensics firm Halvorsen Cyber" beside "Tanager Forensics").
        ranked = sorted(hits.items(), key=lambda h: -len(h[1]))
        if not ranked or (len(ranked) > 1 and len(ranked[1][1]) >= len(ranked[0][1])):
            return None
        form, found = ranked[0]
        t = self.article_tokens[min(found)]
        return ContentRead(form, t.start, t.end)

    def _capital(self, i: int) -> bool:
        return self.article[self.article_starts[i]].isupper()

    def order(self, site: Site) -> ContentRead | None:
        """The order in which the article names the list's items: the forms it fits, if
        it rules some out."""
        listed = list_orders(site.forms)
        if listed is None:
            return None
        items, orders = listed
        item_keys = [{k for k in _keys(item) if is_content(k)} for item in items]
        shared = {k for a, b in itertools.combinations(item_keys, 2) for k in a & b}
        item_keys = [keys - shared for keys in item_keys]
        where = sorted({(i, n) for n, keys in enumerate(item_keys) for k in keys for i in self.at.get(k, ())})
        # A word every copy says elsewhere names an item only beside another of its words:
        # "hiring compliance staff" does not name "two compliance officers" in a master
        # that has a Compliance Team.
        where = [(i, n) for i, n in where if self._names(i, item_keys[n])]
        # Windows of at most ORDER_SPAN words (more for a list of long items): an item's
        # word used earlier in passing ("the bags of", "the force's") is not the list.
        span = max(ORDER_SPAN, 2 * sum(len(_words(item)) for item in items))
        # Every window from one of the items' words, ended each time it takes in one more
        # item: the list is the window naming the most items, then the tightest, that is
        # all of them or names its items as a list (not in passing).
        # Of windows naming as many items, the one naming them by more of their words:
        # "vulnerable customers first, in particular carers ..." is not where "disabled
        # customers" is named.
        longest = max(len(keys) for keys in item_keys) + 1
        windows: list[tuple[int, int, int, int, list[int]]] = []  # -items, -words, width, start, items
        for a, (i0, _) in enumerate(where):
            seen: list[int] = []
            for i, n in where[a:]:
                if i - i0 > span:
                    break
                if n not in seen:
                    seen.append(n)
                    if len(seen) >= 2:
                        upto = bisect.bisect_right(where, (i + longest, len(items)))
                        words = {(m, self.article_keys[j]) for j, m in where[a:upto] if m in seen}
                        windows.append((-len(seen), -len(words), i - i0, i0, list(seen)))
        # The list is the first window that names every item, as a list or each item by
        # its words (a one-word item by its word, any other by two); failing that, the
        # first that names some items as a list; failing that, one that names every item,
        # however loosely. So "uncontracted agents ... compliance staff, among them two
        # compliance officers and a data analyst" names two items, not "an agent manager".
        ranked = [(start, start + width, seen) for _, _, width, start, seen in sorted(windows, key=lambda w: w[:4])]
        named_in_order: dict[int, list[int]] = {}  # window -> its items in the order it names them (found lazily)

        def in_order(w: int) -> list[int]:
            if w not in named_in_order:
                start, end, seen = ranked[w]
                named_in_order[w] = sorted(seen, key=lambda n: self._named_at(where, item_keys[n], n, start, end))
            return named_in_order[w]

        def as_a_list(w: int) -> bool:
            return self._named_as_a_list(where, item_keys, ranked[w][0], ranked[w][1], in_order(w))

        full = [w for w, (_, _, seen) in enumerate(ranked) if len(seen) == len(items)]
        chosen = next(
            (w for w in full if as_a_list(w) or self._named_by_their_words(where, item_keys, *ranked[w][:2])), None
        )
        if chosen is None:
            chosen = next((w for w in range(len(ranked)) if as_a_list(w)), None)
        if chosen is None:
            chosen = next(iter(full), None)
        if chosen is None:
            return None
        start, end, _ = ranked[chosen]
        seen = in_order(chosen)
        first, last = self._ends_named(where, item_keys, start, end, seen) if len(seen) < len(items) else (False, False)
        fits = []
        for f, order in enumerate(orders):
            position = {n: p for p, n in enumerate(order)}
            if (
                sorted(seen, key=lambda n: position[n]) == seen
                and (not first or order[0] == seen[0])
                and (not last or order[-1] == seen[-1])
            ):
                fits.append(f)
        if not fits or len(fits) == len(orders):
            return None
        return ContentRead(fits[0], self.article_tokens[start].start, self.article_tokens[end].end, tuple(fits[1:]))

    def _names(self, i: int, keys: set[str]) -> bool:
        """Whether the article's word ``i``, one of an item's ``keys``, names the item: a
        word of its own, or one with another of the item's words beside it (an item of one
        word is named by it, whoever else says it)."""
        if len(keys) < 2 or self.article_keys[i] not in self.fixed:
            return True
        reach = len(keys) + 1
        near = self.article_keys[max(0, i - reach) : i + reach + 1]
        return len(keys.intersection(near)) >= 2

    def _ends_named(
        self, where: Sequence[tuple[int, int]], item_keys: Sequence[set[str]], start: int, end: int, seen: list[int]
    ) -> tuple[bool, bool]:
        """Whether a list named in part says that its first named item opens the list
        ("starting in Leeds", "first to Hull", "Leeds first") and its last one closes it
        ("and finally York", "ending in York", "York last"): the words right before or
        after the item, in its sentence."""
        reach = end + max(len(k) for k in item_keys) + 2
        spans = {n: [i for i, m in where if m == n and start <= i <= reach] for n in (seen[0], seen[-1])}

        def cued(n: int, before: frozenset[str], after: frozenset[str]) -> bool:
            a, b = min(spans[n]), max(spans[n])
            sentence = self.sentence_of[a]
            near = [j for j in range(a - 1, max(a - 1 - CUE_REACH, -1), -1) if self.sentence_of[j] == sentence]
            prior = any(self.article_keys[j] in before and not self._of_time(j) for j in near) and not any(
                m in seen and m != n for i, m in where if near and min(near) <= i < a
            )
            following = b + 1 < len(self.article_keys) and self.sentence_of[b + 1] == sentence
            return prior or (following and self.article_keys[b + 1] in after and not self._of_time(b + 1))

        return cued(seen[0], _OPENS, _OPENS_AFTER), cued(seen[-1], _CLOSES, _CLOSES_AFTER)

    def _of_time(self, j: int) -> bool:
        """Whether the cue word at ``j`` dates something ("last week", "first time")."""
        return j + 1 < len(self.article_keys) and self.article_keys[j + 1] in _TIMES

    def _named_at(self, where: Sequence[tuple[int, int]], keys: set[str], n: int, start: int, end: int) -> int:
        """Where in [start, end] the window names item ``n``: the first of its words that
        begins the run holding most of its words ("the county emergency manager", not
        "county" said in passing before the list)."""
        found = [i for i, m in where if m == n and start <= i <= end]
        reach = len(keys) + 2
        return max(found, key=lambda i: (len(keys & set(self.article_keys[i : i + reach])), -i))

    def _named_by_their_words(
        self, where: Sequence[tuple[int, int]], item_keys: Sequence[set[str]], start: int, end: int
    ) -> bool:
        """Whether [start, end] names every item by its word, or by two of its words, in
        one sentence ("silicon carbide power devices" two sentences before "gate drivers
        and battery management chips" is not where the list is named)."""
        if self.sentence_of[start] != self.sentence_of[end]:
            return False
        reach = end + max(len(k) for k in item_keys) + 2
        named: dict[int, set[str]] = {}
        for i, n in where:
            if start <= i <= reach:
                named.setdefault(n, set()).add(self.article_keys[i])
        return all(len(named.get(n, ())) >= min(2, len(keys)) for n, keys in enumerate(item_keys))

    def _named_as_a_list(
        self, where: Sequence[tuple[int, int]], item_keys: Sequence[set[str]], start: int, end: int, seen: list[int]
    ) -> bool:
        """Whether the items ``seen`` are named as items of the list in [start, end]
        (token indices): one after another in one sentence, at most LIST_GAP words apart
        ("Leeds and then Hull", not "on-call firefighters. Thirty-six full-time"), each
        by two of its own words if it has three or more ("the Pennsylvania Attorney
        General", not "the general counsel")."""
        # Each item where the window names it (its run of words from there: the window
        # ends at the last item's first word), not where else it says the item's words:
        # "a data-sharing agreement ..., the first two being communications and data
        # sharing" names data sharing after communications.
        spans = {}
        for n in seen:
            at = self._named_at(where, item_keys[n], n, start, end)
            spans[n] = [i for i, m in where if m == n and at <= i <= at + len(item_keys[n]) + 1]
        named = all(len({self.article_keys[i] for i in spans[n]}) >= (2 if len(item_keys[n]) > 2 else 1) for n in seen)
        one_sentence = len({self.sentence_of[i] for n in seen for i in (min(spans[n]), max(spans[n]))}) == 1
        return (
            named
            and one_sentence
            and all(min(spans[b]) - max(spans[a]) - 1 <= LIST_GAP for a, b in itertools.pairwise(seen))
        )

    def numbers(self, sites: dict[int, Site]) -> dict[int, ContentRead]:
        """Each number canary matched to the article's number with the most context in
        common; read when that number is one the canary can show."""
        mentions = number_mentions(self.article)
        if not sites or not mentions:
            return {}
        article_ctx = [self._article_context(m.start, m.end) for m in mentions]
        # What each mention counts, where that is a span of time ("for twenty years"), and
        # the words each canary is followed by in the master ("22 handlers").
        durations = [self._duration_after(m.end) for m in mentions]
        followed_by = {s: self._master_words_after(site.end) for s, site in sites.items()}
        values = {s: [parse_number(f) for f in site.forms] for s, site in sites.items()}
        # The master's own numbers outside every variant compete for the article's numbers
        # as the canaries do: "a six-week push" in the report restates the master's fixed
        # "six-week push", not the canary "6 canine teams" (keys below zero).
        claims: dict[int, tuple[list[Decimal | None], dict[str, int]]] = {
            s: (values[s], self._master_context(site.start, site.end)) for s, site in sites.items()
        }
        for f, (value, start, end, own) in enumerate(self.fixed_numbers):
            claims[-1 - f] = ([value], {**self._master_context(start, end), **dict.fromkeys(own, 1)})
        # "£{{640~40}},000" is restated "£670,000": the canary's 670 in thousands.
        scale = {s: _thousands_after(self.master, site.end) for s, site in sites.items()}
        # Only a number the canary can show is a candidate: a reporter's number next to
        # the same words but out of range is not this canary's reading. One written as a
        # round estimate ("around 1,200", "more than 400") fits the values it rounds.
        pairs: list[tuple[float, int, int]] = []
        in_range: dict[int, list[int]] = {}
        # A canary the master itself hedges ("around {{430~30}} soldiers") is restated
        # "around 400" from a copy that says 400: the copy's own estimate, repeated.
        hedged = {s for s, site in sites.items() if hedged_before(self.master, site.start)}
        said: dict[tuple[int, int], tuple[Decimal, ...]] = {}  # (claim, mention) -> the claim's values it fits
        rough: set[tuple[int, int]] = set()  # (canary, mention): written as a round estimate of it
        for s, (shows, ctx) in claims.items():
            shown = sorted({v for v in shows if v is not None})
            for n, actx in enumerate(article_ctx):
                if s >= 0 and durations[n] and durations[n] not in followed_by[s]:
                    continue  # the article counts a span of time, the canary something else
                fits = _fits(mentions[n], shown, scale.get(s, 1), estimate=s >= 0, master_hedges=s in hedged)
                if not fits:
                    continue
                said[s, n] = fits
                value, k = mentions[n].value, scale.get(s, 1)
                if s >= 0 and _round_estimate(mentions[n], value / k if value % k == 0 else value, shown):
                    rough.add((s, n))
                in_range.setdefault(s, []).append(n)
                score = sum(1.0 / (d + actx[w] - 1) for w, d in ctx.items() if w in actx)
                if score >= MIN_CONTEXT:
                    pairs.append((score, s, n))
        # The master's fixed figures count their context twice: "the 50 per cent the law
        # requires" in the article is the master's fixed 50 per cent, not a copy's turnout
        # of 50 to 57 per cent that shares a word more with it. At worst a canary that
        # shows the fixed figure goes unread; a misreading would cost the leaker more. A
        # canary far closer in context keeps its figure ("some 12 weeks overdue").
        pairs.sort(key=lambda p: (-p[0] * (FIXED_WEIGHT if p[1] < 0 else 1), p[1], p[2]))

        taken_sites: set[int] = set()
        taken_mentions: set[int] = set()
        explained: set[int] = set()
        out: dict[int, ContentRead] = {}
        for score, s, n in pairs:
            if s in taken_sites or n in taken_mentions:
                continue
            if s < 0:
                # The master's fixed number, however often the article repeats it.
                explained.add(n)
                taken_mentions.add(n)
                continue
            if (s, n) in rough and any(
                p[1] == s and p[2] not in taken_mentions and (s, p[2]) not in rough and said[s, p[2]] != said[s, n]
                for p in pairs
            ):
                continue  # "around 20 minutes" in a headline, "about 16 minutes" in the text: the figure
            rival = [p for p in pairs if p[1] == s and p[2] != n and p[2] not in taken_mentions and p[0] == score]
            taken_sites.add(s)
            taken_mentions.add(n)
            if rival:
                continue  # two numbers fit as well: erased
            read = _number_read(values[s], said[s, n], mentions[n])
            if read is not None:
                out[s] = read
        # A reporter may say "94 staff" for "96 officers": a canary left without a
        # match takes the one number of its range the article has (beside those the
        # master's fixed numbers explain), if no other canary can show it.
        for s, ns in in_range.items():
            unexplained = [n for n in ns if n not in explained]
            if s < 0 or s in taken_sites or len(unexplained) != 1 or unexplained[0] in taken_mentions:
                continue
            n = unexplained[0]
            if any(n in other for t, other in in_range.items() if t != s):
                continue
            taken_mentions.add(n)
            read = _number_read(values[s], said[s, n], mentions[n])
            if read is not None:
                out[s] = read
        return out

    def _duration_after(self, end: int) -> str:
        """The span of time the article's word after ``end`` names ("years"), or ""."""
        after = bisect.bisect_left(self.article_starts, end)
        unit = self.article_keys[after] if after < len(self.article_keys) else ""
        return unit if unit in _DURATIONS else ""

    def _master_words_after(self, end: int) -> set[str]:
        """The master's two words after ``end``, keyed."""
        at = bisect.bisect_left(self.starts, end)
        return {_stem(t.key) for t in self.master_tokens[at : at + 2]}

    def _master_context(self, start: int, end: int) -> dict[str, int]:
        """Content words around [start, end) in the master (outside every variant), with
        their distance in words (1: adjacent)."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        out: dict[str, int] = {}
        tokens = self.master_tokens
        for d in range(1, CONTEXT + 1):
            for i in (lo - d, hi + d - 1):
                if 0 <= i < len(tokens) and not self.inside[i]:
                    k = _stem(tokens[i].key)
                    if is_content(k) and k not in out:
                        out[k] = d
        return out

    def _article_context(self, start: int, end: int) -> dict[str, int]:
        """Content words around [start, end) in the article, with their distance in words."""
        first_after = bisect.bisect_left(self.article_starts, end)
        last_before = bisect.bisect_right(self.article_ends, start) - 1
        out: dict[str, int] = {}
        for d in range(1, CONTEXT + 1):
            for i in (last_before - d + 1, first_after + d - 1):
                if 0 <= i < len(self.article_keys):
                    k = self.article_keys[i]
                    if is_content(k) and k not in out:
                        out[k] = d
        return out


_THOUSANDS = re.compile(r"(?:,000)+(?![\d,])")


def _thousands_after(master: str, end: int) -> int:
    """1,000 (or 1,000,000) when the master writes thousands after the canary: "£{{640~40}},000"."""
    m = _THOUSANDS.match(master, end)
    return 1000 ** (len(m.group()) // 4) if m else 1


def _fits(
    mention: NumberMention, shown: Sequence[Decimal], scale: int, *, estimate: bool, master_hedges: bool
) -> tuple[Decimal, ...]:
    """The values of ``shown`` (the canary's, in order) an article's number fits: itself (or itself in the
    canary's thousands: "670,000" of "{{640~40}},000"); for a round estimate of a
    canary (``estimate``), every value it rounds, unless the master hedges the canary
    and the estimate ("about", not "more than" or "twenty-odd") is one a copy shows; none
    when it fits no value."""
    said = [mention.value]
    if scale > 1 and mention.value % scale == 0:
        said.append(mention.value / scale)
    for value in said:
        repeated = master_hedges and value in shown and not mention.dozens and not mention.bound
        if estimate and len(shown) > 1 and not repeated:
            near = _rounds(mention, value, shown)
            if near is not None:
                return near
        if value in shown:
            return (value,)
    return ()


def _rounds(mention: NumberMention, value: Decimal, shown: Sequence[Decimal]) -> tuple[Decimal, ...] | None:
    """If the article writes ``value`` as a round estimate, rounder than the canary's
    steps ("around twenty" of 17 to 23, "more than 1,200" of 1,100 to 1,300 by 20) or
    in dozens ("two dozen"): the values of ``shown`` it may round, by the way it leans
    ("more than" from above, "nearly" from below, "about" either side) and by how round
    it is (to the nearest 100 for "about 1,200", 50 for "about 450"). None when it is
    written as a figure ("some 36", "about 13")."""
    if not _round_estimate(mention, value, shown):
        return None
    unit = Decimal(12) if mention.dozens else _roundness(value)
    lean = mention.bound
    lo = value if lean == "above" else value - (unit if lean == "below" else unit / 2)
    hi = value if lean == "below" else value + (unit if lean == "above" else unit / 2)
    return tuple(v for v in shown if lo <= v <= hi)


def _round_estimate(mention: NumberMention, value: Decimal, shown: Sequence[Decimal]) -> bool:
    """Whether ``value`` is written as an estimate rounder than the steps of ``shown``
    (the canary's values, in order): in dozens, or hedged and a multiple of ten steps."""
    if mention.dozens:
        return True
    if not mention.hedged or len(shown) < 2:
        return False
    return value % (10 * min(b - a for a, b in itertools.pairwise(shown))) == 0


def _roundness(value: Decimal) -> Decimal:
    """The largest of ..., 0.1, 0.5, 1, 5, 10, 50, 100, ... that divides ``value``:
    what a reporter rounded it to (100 for 1,200, 50 for 450, 10 for twenty)."""
    best = unit = Decimal("0.01")
    while unit <= abs(value):
        for u in (unit, 5 * unit):
            if u <= abs(value) and value % u == 0:
                best = u
        unit *= 10
    return best


def _number_read(
    values: Sequence[Decimal | None], fits: Sequence[Decimal], mention: NumberMention
) -> ContentRead | None:
    """The read of a number canary whose article number fits ``fits``; None when it fits
    every value (it says nothing of which the copy shows)."""
    forms = [f for f, v in enumerate(values) if v in fits]
    if not forms or len(forms) == len(values):
        return None
    return ContentRead(forms[0], mention.start, mention.end, tuple(forms[1:]))


def _fixed_numbers(master: str, sites: Sequence[Site]) -> list[tuple[Decimal, int, int, frozenset[str]]]:
    """Numbers every copy implies that a report may state, each with where the master
    says it (and words of its own that go with it): the master's numbers outside every
    variant ("a six-week push"), the numbers inside the alternatives of a variant that
    is no number ("the Berth 12 mezzanine", with "berth" and "mezzanine"), and the
    length of each list ("four branch libraries")."""
    out = [
        (m.value, m.start, m.end, frozenset[str]())
        for m in number_mentions(master)
        if not any(site.start < m.end and m.start < site.end for site in sites)
    ]
    for site in sites:
        if kind_of(site.forms) == "number":
            continue
        for form in site.forms:
            own = frozenset(k for k in _keys(form) if is_content(k))
            out.extend((m.value, site.start, site.end, own) for m in number_mentions(form))
        shape = split_list(site.forms[0])
        if shape is not None:
            out.append((Decimal(len(shape.items)), site.start, site.end, frozenset()))
    return out


def _words(text: str) -> list[Token]:
    """Words, with the parts of a hyphenated word as words of their own ("teal-coloured":
    "teal", "coloured"); the offsets are the text's."""
    return tokenize(text.replace("-", " "))


def _keys(text: str) -> set[str]:
    return {_stem(t.key) for t in _words(text)}
