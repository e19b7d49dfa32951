"""Web users, roles, tokens and logins, on a real workspace: every change audited, secrets never stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from barium.access import Role
from barium.errors import Conflict, Forbidden, InputError, LockedOut, NotFound, Unauthorized
from barium.services import Barium
from barium.store import ApiToken, User, WebSession

PASSWORD = "correct horse battery"


def test_a_user_logs_in_with_a_new_session_each_time_and_logs_out(barium: Barium) -> None:
    barium.users.add("Alice", roles=["investigator"], password=PASSWORD)
    first = barium.users.login("alice", PASSWORD, address="10.0.0.1")
    second = barium.users.login("alice", PASSWORD, address="10.0.0.1")
    assert first.secret != second.secret and first.principal.csrf != second.principal.csrf
    assert barium.users.by_session(first.secret).roles == (Role.INVESTIGATOR,)
    barium.users.logout(first.secret)
    with pytest.raises(Unauthorized):
        barium.users.by_session(first.secret)
    assert barium.users.by_session(second.secret).user == "alice"
    with barium.ctx.read() as s:
        stored = list(s.scalars(select(WebSession.token_hash)))
        hashed = s.scalar(select(User.password_hash))
    assert second.secret not in stored and first.secret not in stored
    assert hashed is not None and hashed.startswith("$argon2id$") and PASSWORD not in hashed


def test_wrong_names_and_passwords_look_alike_and_lock_the_user_out(barium: Barium) -> None:
    barium.users.add("bob", roles="distributor", password=PASSWORD)
    with pytest.raises(Unauthorized) as unknown:
        barium.users.login("nobody", PASSWORD)
    with pytest.raises(Unauthorized) as wrong:
        barium.users.login("bob", "not the password")
    assert unknown.value.message == wrong.value.message
    for _ in range(barium.ctx.settings.web_login_attempts - 1):
        with pytest.raises(Unauthorized):
            barium.users.login("bob", "still not it")
    # Locked out now: the right password is refused too, until the lockout ends.
    with pytest.raises(LockedOut):
        barium.users.login("bob", PASSWORD)
    assert barium.users.get("bob").locked_until is not None
    barium.users.set_password("bob", "another long passphrase")  # an admin's reset lifts it
    assert barium.users.login("bob", "another long passphrase").principal.user == "bob"
    actions = [e.action for e in barium.audit.entries()]
    assert actions.count("login.fail") == barium.ctx.settings.web_login_attempts + 1
    assert "login.locked" in actions and "user.password" in actions and actions[-1] == "login.ok"


def test_a_token_acts_with_one_role_and_dies_with_it(barium: Barium) -> None:
    barium.users.add("carol", roles=["investigator", "auditor"], password=PASSWORD)
    secret, info = barium.users.make_token("carol", role="auditor", label="nightly verify")
    assert secret.startswith("brm_") and info.role is Role.AUDITOR
    assert barium.users.by_token(secret).roles == (Role.AUDITOR,)
    with pytest.raises(Forbidden):
        barium.users.make_token("carol", role="admin")
    with barium.ctx.read() as s:
        assert secret not in list(s.scalars(select(ApiToken.token_hash)))
    barium.users.set_roles("carol", ["investigator"])  # auditor taken away: its token goes too
    with pytest.raises(Unauthorized):
        barium.users.by_token(secret)
    other, _ = barium.users.make_token("carol")
    barium.users.disable("carol")
    with pytest.raises(Unauthorized):
        barium.users.by_token(other)
    with pytest.raises(Unauthorized):
        barium.users.login("carol", PASSWORD)
    with pytest.raises(Unauthorized):
        barium.users.by_token("brm_" + "x" * 43)


def test_the_last_admin_stays_an_admin(barium: Barium) -> None:
    barium.users.add("root", roles=["admin"], password=PASSWORD)
    with pytest.raises(Conflict):
        barium.users.disable("root")
    with pytest.raises(Conflict):
        barium.users.set_roles("root", ["auditor"])
    barium.users.add("second", roles=["admin"], password=PASSWORD)
    assert barium.users.disable("root").disabled_at is not None


@pytest.mark.parametrize(
    ("name", "roles", "password"),
    [
        ("../etc", ["admin"], PASSWORD),
        ("x" * 64, ["admin"], PASSWORD),
        ("dave", ["root"], PASSWORD),
        ("dave", [], PASSWORD),
        ("dave", ["admin"], "short"),
        ("dave", ["admin"], "a" * 20),
    ],
)
def test_bad_users_are_refused_with_nothing_stored(barium: Barium, name: str, roles: list[str], password: str) -> None:
    with pytest.raises(InputError):
        barium.users.add(name, roles=roles, password=password)
    assert barium.users.list() == []


def test_unknown_users_and_tokens_are_not_found(barium: Barium) -> None:
    with pytest.raises(NotFound):
        barium.users.set_password("ghost", PASSWORD)
    with pytest.raises(NotFound):
        barium.users.revoke_token(99)
    barium.users.add("erin", roles=["admin"], password=PASSWORD)
    with pytest.raises(Conflict):
        barium.users.add("ERIN", roles=["auditor"], password=PASSWORD)
