"""A case's states and the moves between them, from the organisation's settings.

The default is the seed case's chain: a case is ``open``, is referred to professional
responsibility, which refers it to the inspector general, and is ``closed`` with a
finding. Each referral step named in ``case_referrals`` is a state,
``referred:<step>``; a case moves only forward along the chain (to the next step, or,
with ``case_skip_referrals``, any later one), and may be closed from any state but
``closed``, which is final. Every move is checked here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from barium.errors import Conflict, InputError
from barium.settings import Settings

__all__ = ["CLOSED", "OPEN", "Workflow", "describe"]

OPEN = "open"
CLOSED = "closed"
REFERRED = "referred:"


def describe(state: str) -> str:
    """A state as a person says it: "referred to inspector-general"."""
    return f"referred to {state.removeprefix(REFERRED)}" if state.startswith(REFERRED) else state


@dataclass(frozen=True, slots=True)
class Workflow:
    referrals: tuple[str, ...]
    findings: tuple[str, ...]
    may_skip: bool = False

    @classmethod
    def from_settings(cls, s: Settings) -> Workflow:
        return cls(tuple(s.case_referrals), tuple(s.case_findings), s.case_skip_referrals)

    @property
    def states(self) -> tuple[str, ...]:
        return (OPEN, *(REFERRED + r for r in self.referrals), CLOSED)

    def describe(self, state: str) -> str:
        return describe(state)

    def _step(self, state: str) -> int:
        """How far along the chain ``state`` is: 0 open, 1 the first referral, ..."""
        if state == OPEN:
            return 0
        step = state.removeprefix(REFERRED)
        if state.startswith(REFERRED) and step in self.referrals:
            return 1 + self.referrals.index(step)
        # A state of a chain the settings no longer name (they changed since): it stays
        # where it is on the old chain, and can still be closed.
        return -1

    def refer(self, state: str, to: str) -> str:
        """The state a referral to step ``to`` moves a case in ``state`` to; refused moves raise."""
        if to not in self.referrals:
            known = ", ".join(self.referrals) or "none"
            raise InputError(f"no referral step {to!r}; this organisation's steps are: {known}")
        if state == CLOSED:
            raise Conflict("the case is closed; a closed case is not referred")
        here, there = self._step(state), 1 + self.referrals.index(to)
        if here < 0:
            raise Conflict(f"the case is {self.describe(state)}, a step the settings no longer name; close it instead")
        if there <= here:
            raise Conflict(f"the case is already {self.describe(state)}; referrals only move forward")
        if there > here + 1 and not self.may_skip:
            nxt = self.referrals[here]
            raise Conflict(f"the case is {self.describe(state)}; it goes to {nxt} next (case_skip_referrals is off)")
        return REFERRED + to

    def close(self, state: str, finding: str) -> str:
        if finding not in self.findings:
            raise InputError(f"no finding {finding!r}; a case closes as one of: {', '.join(self.findings)}")
        if state == CLOSED:
            raise Conflict("the case is already closed")
        return CLOSED

    def check_open(self, state: str, what: str) -> None:
        """Refuse ``what`` (attach, trace, assign) on a closed case: its file is final."""
        if state == CLOSED:
            raise Conflict(f"the case is closed; nothing more can be {what}")
