"""The people who log in to the web app: users, their roles, API tokens and login sessions.

Every change is a unit of work with its audit entry (``user.add``, ``user.roles``,
``token.make``, ``login.fail`` ...), so who was let in, and who gave whom which role,
is in the same tamper-evident log as what they did. Passwords are kept as argon2id
hashes; tokens and session cookies only as their SHA-256 (:mod:`barium.access`).

Lockout is per user and lives in the database, so several server processes share
it: ``web_login_attempts`` wrong passwords in a row lock the user out for
``web_lockout_minutes``, a right password included.
"""

from __future__ import annotations

import builtins
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from barium.access import Role, digest, hash_password, new_secret, parse_roles, verify_password
from barium.access.tokens import TOKEN_PREFIX
from barium.errors import Conflict, Forbidden, InputError, LockedOut, NotFound, Unauthorized
from barium.services.unit import Context, UnitOfWork
from barium.store import ApiToken, User, WebSession
from barium.store.models import utcnow

_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,62}")
LAST_USED_EVERY = timedelta(minutes=5)  # a token's last use is written at most this often
WRONG = "wrong user name or password"  # one answer for a wrong name and a wrong password


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    name: str
    roles: tuple[Role, ...]
    created_at: datetime
    disabled_at: datetime | None = None
    locked_until: datetime | None = None
    last_login_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "roles": [r.value for r in self.roles],
            "created_at": self.created_at.isoformat(),
            "disabled_at": _iso(self.disabled_at),
            "locked_until": _iso(self.locked_until),
            "last_login_at": _iso(self.last_login_at),
        }


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    user: str
    role: Role
    label: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at is not None and self.expires_at <= utcnow() else "active"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user": self.user,
            "role": self.role.value,
            "state": self.state,
            "label": self.label,
            "created_at": self.created_at.isoformat(),
            "expires_at": _iso(self.expires_at),
            "revoked_at": _iso(self.revoked_at),
            "last_used_at": _iso(self.last_used_at),
        }


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request comes from: a user, and the roles this login or token grants them."""

    user: str
    roles: tuple[Role, ...]
    via: str  # "session" or "token"
    csrf: str = ""  # the session's form token (empty for a token)

    def has(self, allowed: tuple[Role, ...]) -> bool:
        return any(r in allowed for r in self.roles)


@dataclass(frozen=True, slots=True)
class Login:
    """A new session: the cookie's secret (sent once, to the browser) and whose it is."""

    secret: str
    expires_at: datetime
    principal: Principal


def user_name(name: str) -> str:
    clean = name.strip().lower()
    if not _NAME.fullmatch(clean):
        raise InputError(
            f"a user name is 1-63 lower-case letters, digits, dots, hyphens or underscores, got {name[:70]!r}"
        )
    return clean


def _roles(u: User) -> tuple[Role, ...]:
    return parse_roles(u.roles)


def _info(u: User) -> UserInfo:
    return UserInfo(u.id, u.name, _roles(u), u.created_at, u.disabled_at, u.locked_until, u.last_login_at)


def _find(session: Session, name: str) -> User:
    u = session.scalar(select(User).where(User.name == user_name(name)))
    if u is None:
        raise NotFound(f"no user {name.strip().lower()!r}; list them with `barium users list`")
    return u


class Users:
    """Users, roles, API tokens and login sessions."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # -- users -------------------------------------------------------------------------

    def add(self, name: str, *, roles: builtins.list[str] | str, password: str) -> UserInfo:
        clean, granted = user_name(name), parse_roles(roles)
        hashed = hash_password(password)  # before the unit: hashing takes a tenth of a second
        with self.ctx.unit() as uow:
            if uow.session.scalar(select(User.id).where(User.name == clean)) is not None:
                raise Conflict(f"user {clean!r} exists already")
            u = User(name=clean, roles=",".join(granted), password_hash=hashed)
            uow.session.add(u)
            uow.session.flush()
            uow.record("user.add", f"user {clean}", roles=[r.value for r in granted])
            return _info(u)

    def list(self) -> list[UserInfo]:
        with self.ctx.read() as session:
            return [_info(u) for u in session.scalars(select(User).order_by(User.name))]

    def get(self, name: str) -> UserInfo:
        with self.ctx.read() as session:
            return _info(_find(session, name))

    def set_roles(self, name: str, roles: builtins.list[str] | str) -> UserInfo:
        granted = parse_roles(roles)
        with self.ctx.unit() as uow:
            u = _find(uow.session, name)
            before = _roles(u)
            if Role.ADMIN in before and Role.ADMIN not in granted:
                self._keep_an_admin(uow.session, u)
            u.roles = ",".join(granted)
            # A token scoped to a role the user lost is revoked with it.
            lost = [r.value for r in before if r not in granted]
            if lost:
                uow.session.execute(
                    update(ApiToken)
                    .where(ApiToken.user_id == u.id, ApiToken.role.in_(lost), ApiToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow())
                )
                uow.session.execute(delete(WebSession).where(WebSession.user_id == u.id))
            uow.record(
                "user.roles", f"user {u.name}", before=[r.value for r in before], after=[r.value for r in granted]
            )
            return _info(u)

    def set_password(self, name: str, password: str) -> UserInfo:
        hashed = hash_password(password)
        with self.ctx.unit() as uow:
            u = _find(uow.session, name)
            u.password_hash, u.password_changed_at = hashed, utcnow()
            u.failed_logins, u.locked_until = 0, None
            # Whoever learnt the old password is logged out with it.
            uow.session.execute(delete(WebSession).where(WebSession.user_id == u.id))
            uow.record("user.password", f"user {u.name}")
            return _info(u)

    def disable(self, name: str) -> UserInfo:
        """No more logins or token use; the user stays, as the audit log names them."""
        with self.ctx.unit() as uow:
            u = _find(uow.session, name)
            if u.disabled_at is not None:
                return _info(u)
            if Role.ADMIN in _roles(u):
                self._keep_an_admin(uow.session, u)
            u.disabled_at = utcnow()
            uow.session.execute(delete(WebSession).where(WebSession.user_id == u.id))
            uow.session.execute(
                update(ApiToken)
                .where(ApiToken.user_id == u.id, ApiToken.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )
            uow.record("user.disable", f"user {u.name}")
            return _info(u)

    def enable(self, name: str) -> UserInfo:
        with self.ctx.unit() as uow:
            u = _find(uow.session, name)
            if u.disabled_at is None:
                return _info(u)
            u.disabled_at, u.failed_logins, u.locked_until = None, 0, None
            uow.record("user.enable", f"user {u.name}")
            return _info(u)

    def _keep_an_admin(self, session: Session, leaving: User) -> None:
        others = [
            u
            for u in session.scalars(select(User).where(User.disabled_at.is_(None), User.id != leaving.id))
            if Role.ADMIN in _roles(u)
        ]
        if not others:
            raise Conflict(f"{leaving.name!r} is the last admin; make another admin first")

    # -- API tokens --------------------------------------------------------------------

    def make_token(
        self, name: str, *, role: str | None = None, label: str = "", days: int | None = None
    ) -> tuple[str, TokenInfo]:
        """A new token for ``name``, scoped to one of their roles (their first by default).
        The token itself is returned once and never stored."""
        if days is not None and not 1 <= days <= 3650:
            raise InputError("a token lasts 1 to 3650 days")
        with self.ctx.unit() as uow:
            u = _find(uow.session, name)
            if u.disabled_at is not None:
                raise Conflict(f"user {u.name!r} is disabled")
            held = _roles(u)
            scope = parse_roles(role)[0] if role else held[0]
            if scope not in held:
                raise Forbidden(f"{u.name!r} does not hold the role {scope.value!r}; they hold {', '.join(held)}")
            secret = new_secret(TOKEN_PREFIX)
            expires = utcnow() + timedelta(days=days) if days else None
            t = ApiToken(
                user_id=u.id, role=scope.value, token_hash=digest(secret), label=label[:200], expires_at=expires
            )
            uow.session.add(t)
            uow.session.flush()
            uow.record("token.make", f"user {u.name}", token=t.id, role=scope.value, label=label[:200])
            return secret, self._token_info(t, u.name)

    def tokens(self, name: str | None = None) -> builtins.list[TokenInfo]:
        with self.ctx.read() as session:
            q = select(ApiToken, User.name).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
            if name is not None:
                q = q.where(User.id == _find(session, name).id)
            return [self._token_info(t, who) for t, who in session.execute(q)]

    def revoke_token(self, token_id: int) -> TokenInfo:
        with self.ctx.unit() as uow:
            row = uow.session.execute(
                select(ApiToken, User.name).join(User, User.id == ApiToken.user_id).where(ApiToken.id == token_id)
            ).first()
            if row is None:
                raise NotFound(f"no token {token_id}")
            t, who = row
            if t.revoked_at is None:
                t.revoked_at = utcnow()
                uow.record("token.revoke", f"user {who}", token=t.id)
            return self._token_info(t, who)

    @staticmethod
    def _token_info(t: ApiToken, who: str) -> TokenInfo:
        return TokenInfo(t.id, who, Role(t.role), t.label, t.created_at, t.expires_at, t.revoked_at, t.last_used_at)

    def by_token(self, secret: str) -> Principal:
        """Who sends this token; :class:`Unauthorized` for an unknown, revoked or expired one."""
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
            raise Unauthorized("not a Barium API token")
        now = utcnow()
        with self.ctx.read() as session:
            row = session.execute(
                select(ApiToken, User)
                .join(User, User.id == ApiToken.user_id)
                .where(ApiToken.token_hash == digest(secret))
            ).first()
            if row is None:
                raise Unauthorized("unknown API token")
            t, u = row
            if t.revoked_at is not None or (t.expires_at is not None and t.expires_at <= now):
                raise Unauthorized("this API token was revoked or has expired")
            if u.disabled_at is not None:
                raise Unauthorized(f"user {u.name!r} is disabled")
            principal = Principal(u.name, (Role(t.role),) if Role(t.role) in _roles(u) else (), "token")
            stale = t.last_used_at is None or now - t.last_used_at > LAST_USED_EVERY
            token_id = t.id
        if stale:  # not every request: on SQLite each write takes the one write lock
            with self.ctx.ws.db.session() as session:
                session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
        return principal

    # -- logins and sessions -----------------------------------------------------------

    def login(self, name: str, password: str, *, address: str = "") -> Login:
        """Check a password and start a new session (a new secret every time: no fixation).

        Wrong name and wrong password give the same :class:`Unauthorized` and take as
        long; a locked-out user gets :class:`LockedOut` whatever the password.
        """
        settings, now = self.ctx.settings, utcnow()
        try:
            clean = user_name(name)
        except InputError:
            clean = ""
        with self.ctx.read() as session:
            u = session.scalar(select(User).where(User.name == clean)) if clean else None
            stored = u.password_hash if u is not None else None
        ok, rehashed = verify_password(stored, password)  # outside any unit: a tenth of a second
        with self.ctx.unit() as uow:
            u = uow.session.scalar(select(User).where(User.name == clean).with_for_update()) if clean else None
            subject = f"user {clean or name.strip()[:60]}"
            if u is None or u.disabled_at is not None:
                uow.record("login.fail", subject, address=address, reason="unknown or disabled user")
                failure: Unauthorized = Unauthorized(WRONG)
            elif u.locked_until is not None and u.locked_until > now:
                uow.record("login.locked", subject, address=address)
                failure = LockedOut(f"too many wrong passwords; try again after {u.locked_until:%H:%M} UTC")
            elif not ok or u.password_hash != stored:  # changed between the read and this unit
                u.failed_logins += 1
                locked = u.failed_logins >= settings.web_login_attempts
                if locked:
                    u.locked_until = now + timedelta(minutes=settings.web_lockout_minutes)
                    u.failed_logins = 0
                uow.record("login.fail", subject, address=address, reason="wrong password", locked=locked)
                failure = Unauthorized(WRONG)
            else:
                return self._start_session(uow, u, rehashed, address)
        raise failure

    def _start_session(self, uow: UnitOfWork, u: User, rehashed: str | None, address: str) -> Login:
        now = utcnow()
        u.failed_logins, u.locked_until, u.last_login_at = 0, None, now
        if rehashed is not None:
            u.password_hash = rehashed
        secret, csrf = new_secret(), new_secret()
        expires = now + timedelta(hours=self.ctx.settings.web_session_hours)
        uow.session.execute(delete(WebSession).where(WebSession.expires_at <= now))  # sweep the stale
        uow.session.add(
            WebSession(token_hash=digest(secret), user_id=u.id, csrf=csrf, expires_at=expires, address=address[:100])
        )
        uow.record("login.ok", f"user {u.name}", address=address)
        return Login(secret, expires, Principal(u.name, _roles(u), "session", csrf))

    def by_session(self, secret: str) -> Principal:
        """Who holds this session cookie; :class:`Unauthorized` when it is unknown or expired."""
        if not secret or len(secret) > 200:
            raise Unauthorized("not logged in")
        with self.ctx.read() as session:
            row = session.execute(
                select(WebSession, User)
                .join(User, User.id == WebSession.user_id)
                .where(WebSession.token_hash == digest(secret))
            ).first()
            if row is None or row[0].expires_at <= utcnow() or row[1].disabled_at is not None:
                raise Unauthorized("your session has ended; log in again")
            s, u = row
            return Principal(u.name, _roles(u), "session", s.csrf)

    def logout(self, secret: str) -> None:
        with self.ctx.unit() as uow:
            row = uow.session.execute(
                select(WebSession, User.name)
                .join(User, User.id == WebSession.user_id)
                .where(WebSession.token_hash == digest(secret))
            ).first()
            if row is not None:
                uow.session.delete(row[0])
                uow.record("logout", f"user {row[1]}")
