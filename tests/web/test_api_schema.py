"""The JSON API against its own OpenAPI schema (schemathesis): whatever a client sends, allowed
by the schema or not, the server answers without a 5xx and with a status the schema documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barium.access import Role
from barium.services import Barium
from barium.web import create_app
from tests.conftest import FIXTURES, add_people

ALL_ROLES = [r.value for r in Role]
EXAMPLES = 30  # per operation


def _operations(schema: Any) -> list[Any]:
    found = []
    for result in schema.get_all_operations():
        found.append(result.ok())
    return found


@pytest.mark.slow
def test_no_request_makes_the_server_fail(tmp_path: Path) -> None:
    b = Barium.init(tmp_path / "ws")
    add_people(b, 4)
    doc = b.documents.add(FIXTURES / "memo.txt", title="Release")
    b.issuing.issue(doc.id, all_recipients=True)
    b.cases.open("A case", doc=doc.id)
    b.users.add("fuzz", roles=ALL_ROLES, password="correct horse battery")
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(workspace=b.ws, jobs=False))
    operations = _operations(schema)
    assert len(operations) >= 40
    failures: list[str] = []
    for operation in operations:

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy(), role=st.sampled_from(ALL_ROLES))
        def call(case: Any, role: str) -> None:
            if case.path_parameters and case.path_parameters.get("name") == "fuzz":
                case.path_parameters["name"] = "someone-else"  # not the caller's own account
            # A new token every time: a generated call may revoke the last one.
            secret, _ = b.users.make_token("fuzz", role=role)
            response = case.call(headers={"Authorization": f"Bearer {secret}"})
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}")

        call()
    b.close()
    assert failures == [], "\n".join(failures[:20])
