"""Content canaries: markup for per-copy details that survive a paraphrase.

Besides ``{{first|second}}`` alternatives, an author may write::

    Raids will take place in {{order: Leeds, Hull and York}}.
    About {{37~2}} officers will be deployed.

``{{order: A, B and C}}`` lists two to eight items whose order does not matter to the
facts; each copy shows them in one of up to 24 orders (every order of up to four
items; for five or more, each pair of first and second items once).
``{{37~2}}`` is a number the author allows to vary by up to 2 either way; each copy
shows one of at most eleven values in that range, in steps of 1, 2, 5, 10, 20, 25,
50, ... (the master's own value among them), with as many digits as the master's
value, written as the master writes it (thousands separators, decimal places).

A reporter who restates the detail in their own words still names the items in
the copy's order, or the copy's number: :mod:`barium.tracing.content` reads them
back by content. Both expand into ordinary variants (the first form the master's).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from barium.errors import InputError
from barium.text.numbers import parse_number

__all__ = ["MAX_FORMS", "MAX_ITEMS", "ListShape", "expand", "split_list"]

MAX_ITEMS = 8
MAX_FORMS = 24  # orders one canary shows: every order of four items
MAX_VALUES = 11  # values a number canary shows: the master's and five either side
_ORDER = re.compile(r"\s*order\s*:\s*(.*\S)\s*", re.IGNORECASE | re.DOTALL)
_NUMBER = re.compile(r"\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*~\s*(\d[\d,]*(?:\.\d+)?)\s*")
_LAST = re.compile(r"(,?)\s+(and|or)\s+(?=\S)")


@dataclass(frozen=True, slots=True)
class ListShape:
    """A written list: its items, and how the last one is joined ("and"/"or", with or
    without a comma before it)."""

    items: tuple[str, ...]
    conjunction: str
    serial_comma: bool

    def render(self, items: tuple[str, ...]) -> str:
        if len(items) == 2:
            return f"{items[0]} {self.conjunction} {items[1]}"
        comma = "," if self.serial_comma else ""
        return f"{', '.join(items[:-1])}{comma} {self.conjunction} {items[-1]}"


def split_list(text: str) -> ListShape | None:
    """``"Leeds, Hull and York"`` -> its items; None when ``text`` is not such a list."""
    joins = list(_LAST.finditer(text))
    if not joins:
        return None
    last = joins[-1]
    head = text[: last.start()]
    items = (*(i.strip() for i in head.split(",")), text[last.end() :].strip())
    if len(items) < 2 or any(not i for i in items) or len(set(items)) < len(items):
        return None
    if len(items) == 2 and last.group(1):
        return None
    return ListShape(items, last.group(2), bool(last.group(1)))


def expand(body: str, where: str) -> tuple[str, ...]:
    """The forms of a one-part markup (``order: ...`` or ``N~T``), the master's first."""
    m = _ORDER.fullmatch(body)
    if m:
        return _orders(m.group(1), where)
    m = _NUMBER.fullmatch(body)
    if m:
        return _numbers(m.group(1), m.group(2) or "", m.group(3), where)
    raise InputError(
        f"{where}: a variant needs at least two alternatives ({{{{first|second}}}}); a list whose order may "
        "vary is written {{order: A, B and C}}, a number that may vary {{37~2}}"
    )


def _orders(text: str, where: str) -> tuple[str, ...]:
    shape = split_list(text)
    if shape is None:
        raise InputError(
            f"{where}: an order canary lists two or more distinct items, 'A, B and C' (or 'or'); "
            "items cannot hold commas"
        )
    n = len(shape.items)
    if n > MAX_ITEMS:
        raise InputError(f"{where}: an order canary takes at most {MAX_ITEMS} items, got {n}")
    if n <= 4:
        # Every order (2, 6 or 24 of them), the master's first.
        orders = list(itertools.permutations(range(n)))
    else:
        # Each pair of first and second items once, the rest in the master's order: a
        # reporter who names only the first two items still tells every shown order apart.
        orders = [(a, b, *(i for i in range(n) if i not in (a, b))) for a in range(n) for b in range(n) if a != b]
    orders = orders[:MAX_FORMS]
    return tuple(shape.render(tuple(shape.items[i] for i in order)) for order in orders)


def _numbers(whole: str, fraction: str, tolerance: str, where: str) -> tuple[str, ...]:
    places = len(fraction) - 1 if fraction else 0
    unit = Decimal(1).scaleb(-places)
    value = Decimal(whole.replace(",", "") + fraction)
    tol = parse_number(tolerance)
    if tol is None or tol <= 0:
        raise InputError(f"{where}: the tolerance after '~' must be a positive number")
    if tol % unit:
        raise InputError(f"{where}: the tolerance has more decimal places than the number ({tolerance})")
    steps = int(tol / unit)
    step = next(s for s in _steps() if 2 * (steps // s) + 1 <= MAX_VALUES)
    reach = steps // step
    # Values keep the master's number of digits: "9 times" beside "11 times" would cross
    # the one-to-nine line that house styles spell out.
    digits = len(str(int(value)))
    values = [
        v for k in range(-reach, reach + 1) if k and (v := value + k * step * unit) >= 0 and len(str(int(v))) == digits
    ]
    if not values:
        raise InputError(f"{where}: a tolerance of {tolerance} leaves no other value to show")
    grouped = "," in whole or (value >= 10_000 and "," in tolerance)
    return tuple(_format(v, places, grouped) for v in (value, *values))


def _steps() -> list[int]:
    out: list[int] = []
    scale = 1
    while len(out) < 40:
        out += [scale, 2 * scale, int(2.5 * scale) if scale >= 10 else 5 * scale, 5 * scale]
        scale *= 10
    return sorted(set(out))


def _format(value: Decimal, places: int, grouped: bool) -> str:
    text = f"{value:,.{places}f}" if grouped else f"{value:.{places}f}"
    return text
