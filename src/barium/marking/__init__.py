"""Marking: sites become code positions; a codeword becomes a copy."""

from barium.marking.plan import Group, MarkPlan, build_plan
from barium.marking.sites import find_sites, sites_from_json, sites_to_json

__all__ = ["Group", "MarkPlan", "build_plan", "find_sites", "sites_from_json", "sites_to_json"]
