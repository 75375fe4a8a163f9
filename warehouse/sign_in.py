"""Signing in: local accounts with argon2 password hashes, lock-out, single sign-on.

A password is stored only as an argon2id hash in `users.password_hash`. Every
attempt, whether it names a user or not, is appended to `sign_in_attempts`;
whether a name is locked out is derived from those rows and never stored:

    a failure counts when it is one of `lockout_failures` (5) failures within
    `lockout_window_minutes` (15) of each other; the failure that completes
    them locks the name for `lockout_minutes` (15) from that moment. Attempts
    while locked are refused unchecked (outcome `locked`) and do not extend
    the lock. A success, or a new password set by an admin (`reset`), starts
    the count again.

A wrong password and an unknown name get the same answer, and unknown names
lock out like known ones, so that nobody can find out which names exist. On
the sample warehouse the sample users share the demo password (DEMO_PASSWORD);
on any other warehouse no account exists until an admin creates one.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from rules.settings import Settings, load_settings
from warehouse import audit, sql
from warehouse.access import require
from warehouse.connection import Warehouse
from warehouse.errors import ForecastError, NotFound, PermissionDenied
from warehouse.users import OPERATOR, Actor, resolve

log = logging.getLogger(__name__)

DEMO_PASSWORD = "demo2026"
MIN_PASSWORD_LENGTH = 8

# argon2id with the library's defaults (RFC 9106's low-memory profile).
_HASHER = PasswordHasher()

# A name as typed is kept in the attempts table; longer input is cut here.
_NAME_LIMIT = 200

# The order in which the sign-in page lists the demo accounts.
_ROLE_ORDER = ("ceo", "admin", "analyst", "track_director", "account_manager")


@dataclass(frozen=True)
class Attempt:
    """One sign-in attempt of a name: when, and how it ended."""

    at: datetime
    outcome: str  # success | failure | locked | reset


@dataclass(frozen=True)
class DemoAccount:
    """A sample user the sign-in page offers, with the demo password."""

    name: str
    role: str
    tracks: tuple[str, ...]
    password: str = DEMO_PASSWORD


def hash_password(password: str, name: str = "") -> str:
    """The argon2id hash of a password of at least 8 characters, for users."""
    if len(password.strip()) < MIN_PASSWORD_LENGTH:
        who_zh = f"用户“{name}”的" if name else ""
        who_en = f" for user '{name}'" if name else ""
        raise ForecastError(
            f"{who_zh}密码太短：至少需要 {MIN_PASSWORD_LENGTH} 个字符（不计首尾空格）。"
            "未做任何更改；请换一个更长的密码。",
            f"The password{who_en} is too short: it needs at least "
            f"{MIN_PASSWORD_LENGTH} characters, not counting leading or trailing "
            "spaces. Nothing was changed; choose a longer one.",
        )
    return _HASHER.hash(password)


def set_password(
    warehouse: Warehouse,
    name: str,
    password: str,
    *,
    acting: Actor = OPERATOR,
    now: datetime | None = None,
) -> None:
    """Give a user a new password (admins only, audited); it also ends a lock-out."""
    require(acting, "manage_users", subject=(f"用户“{name}”", f"user '{name}'"))
    with warehouse.cursor() as cur:
        known = cur.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchall()
    if not known:
        raise NotFound(
            f"用户“{name}”不存在，未设置密码。请先用 forecast user add 创建该用户。",
            f"There is no user named '{name}', so no password was set. Add the "
            "user first with `forecast user add`.",
        )
    password_hash = hash_password(password, name)

    with warehouse.transaction() as cur:
        cur.execute(
            "UPDATE users SET password_hash = ? WHERE name = ?", [password_hash, name]
        )
        _record(cur, name, now or datetime.now(), "reset", "admin")
        audit.record(cur, acting.name, "user.password", name, {"lockout_ended": True})

    log.info("password of %s set by %s", name, acting.name)


def locked_until(attempts: Sequence[Attempt], settings: Settings) -> datetime | None:
    """When the lock-out the attempts (oldest first) lead to ends, or None.

    The name is locked at time t when the result is not None and t is before it.
    """
    window = timedelta(minutes=settings.lockout_window_minutes)
    lockout = timedelta(minutes=settings.lockout_minutes)

    until: datetime | None = None
    failures: list[datetime] = []
    for attempt in attempts:
        if attempt.outcome == "reset":
            until, failures = None, []
            continue
        if until is not None and attempt.at < until:
            continue

        if attempt.outcome == "success":
            failures = []
        elif attempt.outcome == "failure":
            failures = [at for at in failures if at > attempt.at - window]
            failures.append(attempt.at)
            if len(failures) >= settings.lockout_failures:
                until, failures = attempt.at + lockout, []
    return until


def authenticate(
    warehouse: Warehouse,
    name: str,
    password: str,
    *,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> Actor:
    """The user a name and password sign in, or PermissionDenied (recorded either way).

    A wrong password and an unknown name give the same message; a locked name
    is refused without looking at the password.
    """
    now = now or datetime.now()
    settings = settings or load_settings()
    typed = name.strip()[:_NAME_LIMIT]

    with warehouse.cursor() as cur:
        attempts = _attempts(cur, typed, now)
        # Only names in the users table sign in: never the local operator.
        rows = cur.execute(
            "SELECT password_hash FROM users WHERE name = ?", [typed]
        ).fetchall()

    # Limitation: the lock is judged before this attempt is recorded — two
    # attempts at the same instant may both be checked, which gives a scripted
    # guesser one or two extra tries per lock window.
    until = locked_until(attempts, settings)
    if until is not None and now < until:
        _record_alone(warehouse, typed, now, "locked", "password")
        raise _locked(typed, until)

    stored = rows[0][0] if rows else None
    signed_in = _verify(stored, password)
    _record_alone(
        warehouse, typed, now, "success" if signed_in else "failure", "password"
    )
    if not signed_in:
        log.warning("failed sign-in for %r", typed)
        raise _wrong(settings)

    log.info("%s signed in", typed)
    with warehouse.cursor() as cur:
        return resolve(cur, typed)


def sign_in_with_email(
    warehouse: Warehouse, email: str, *, now: datetime | None = None
) -> Actor:
    """The user whose e-mail the identity provider confirmed (single sign-on).

    The provider has checked the person; here the address must name exactly
    one user (case does not matter). Recorded as an attempt either way.
    """
    now = now or datetime.now()
    address = email.strip().lower()[:_NAME_LIMIT]

    with warehouse.cursor() as cur:
        names = [
            str(row[0])
            for row in cur.execute(
                "SELECT name FROM users WHERE lower(trim(email)) = ? ORDER BY name",
                [address],
            ).fetchall()
        ]

    if len(names) != 1 or not address:
        _record_alone(warehouse, address, now, "failure", "sso")
        log.warning("single sign-on for %r matches %d users", address, len(names))
        raise PermissionDenied(
            f"单点登录账户“{address}”没有对应（或对应多个）本系统用户，无法登录。"
            "请联系系统管理员，在用户资料中登记这个邮箱（每个邮箱只属于一个用户）。",
            f"The single sign-on account '{address}' matches no user of this system "
            "(or more than one), so you cannot sign in. Ask an admin to record "
            "this e-mail address on your user (one user per address).",
        )

    _record_alone(warehouse, names[0], now, "success", "sso")
    log.info("%s signed in with single sign-on", names[0])
    with warehouse.cursor() as cur:
        return resolve(cur, names[0])


def session_expired(last_seen: datetime, now: datetime, settings: Settings) -> bool:
    """Whether a dashboard session idle since last_seen has timed out by now."""
    return now - last_seen >= timedelta(minutes=settings.session_idle_minutes)


def demo_accounts(cur: duckdb.DuckDBPyConnection) -> list[DemoAccount]:
    """On the sample warehouse, the users whose password is still the demo one.

    Empty on any other warehouse. The sample users share one hash, so only
    the distinct hashes are checked (each check takes a noticeable fraction
    of a second on purpose).
    """
    facts = dict(cur.execute("SELECT key, value FROM warehouse_info").fetchall())
    if facts.get("sample") != "true":
        return []

    rows = cur.execute(
        "SELECT name, role, tracks, password_hash FROM users"
        " WHERE password_hash IS NOT NULL"
    ).fetchall()
    demo_hashes = {h for h in {row[3] for row in rows} if _verify(h, DEMO_PASSWORD)}
    accounts = [
        DemoAccount(name, role, tuple(tracks or ()))
        for name, role, tracks, password_hash in rows
        if password_hash in demo_hashes
    ]
    return sorted(accounts, key=lambda a: (_ROLE_ORDER.index(a.role), a.name))


def _attempts(
    cur: duckdb.DuckDBPyConnection, name: str, now: datetime
) -> list[Attempt]:
    rows = cur.execute(
        sql.query("warehouse", "queries/sign_in_attempts"),
        {"user_name": name, "now": now},
    ).fetchall()
    return [Attempt(at, outcome) for at, outcome in rows]


def _record(
    cur: duckdb.DuckDBPyConnection, name: str, at: datetime, outcome: str, method: str
) -> None:
    cur.execute(
        "INSERT INTO sign_in_attempts (user_name, attempted_at, outcome, method)"
        " VALUES (?, ?, ?, ?)",
        [name, at, outcome, method],
    )


def _record_alone(
    warehouse: Warehouse, name: str, at: datetime, outcome: str, method: str
) -> None:
    # Its own transaction: a refusal is recorded, then raised.
    with warehouse.transaction() as cur:
        _record(cur, name, at, outcome, method)


def _verify(stored: str | None, password: str) -> bool:
    # An unknown name or a user without a password is checked against a hash
    # nobody can match, so that it takes as long as a wrong password.
    try:
        return _HASHER.verify(stored or _no_account_hash(), password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _no_account_hash() -> str:
    return _HASHER.hash(secrets.token_hex(32))


def _wrong(settings: Settings) -> PermissionDenied:
    return PermissionDenied(
        "用户名或密码不正确，未能登录。请检查后重试；"
        f"在 {settings.lockout_window_minutes} 分钟内连续输错 "
        f"{settings.lockout_failures} 次，账户将被锁定 {settings.lockout_minutes} "
        "分钟。忘记密码请联系系统管理员重设。",
        "The user name or password is not correct, so you were not signed in. "
        f"Check them and try again; {settings.lockout_failures} failures within "
        f"{settings.lockout_window_minutes} minutes lock the account for "
        f"{settings.lockout_minutes} minutes. If you forgot the password, ask an "
        "admin to set a new one.",
    )


def _locked(name: str, until: datetime) -> PermissionDenied:
    return PermissionDenied(
        f"账户“{name}”因多次登录失败已被暂时锁定，请于 {until:%H:%M} 之后再试；"
        "如需立即登录，请系统管理员为您重设密码。",
        f"The account '{name}' is locked for a while after repeated failed "
        f"sign-ins. Try again after {until:%H:%M}, or ask an admin to set a new "
        "password to sign in at once.",
    )
