"""Investigations: a case's workflow, and what its evidence is (pure: no storage here).

workflow  the states and referral chain from the settings, every move checked
media     what an item of evidence is, told from its bytes
"""

from barium.cases.media import ALERT_RECORD, media_type
from barium.cases.workflow import CLOSED, OPEN, Workflow

__all__ = ["ALERT_RECORD", "CLOSED", "OPEN", "Workflow", "media_type"]
