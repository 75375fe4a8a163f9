"""Local sign-in: argon2 hashes, one answer for wrong passwords and unknown names,
lock-out derived from the append-only attempts, single sign-on by e-mail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from argon2 import PasswordHasher

import warehouse.sign_in as sign_in
from rules.settings import load_settings
from warehouse import Warehouse
from warehouse.demo import build_sample
from warehouse.errors import ForecastError, NotFound, PermissionDenied
from warehouse.sign_in import (
    DEMO_PASSWORD,
    Attempt,
    authenticate,
    demo_accounts,
    hash_password,
    locked_until,
    session_expired,
    set_password,
    sign_in_with_email,
)
from warehouse.users import Actor, add_user

SETTINGS = load_settings()  # 5 failures within 15 minutes lock for 15 minutes
T0 = datetime(2026, 11, 27, 9, 0)
ADMIN = Actor("ada", "admin")


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: the checks stay the same, the tests stay quick."""
    monkeypatch.setattr(
        sign_in, "_HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    )
    sign_in._no_account_hash.cache_clear()


@pytest.fixture
def accounts(warehouse: Warehouse, fast_hashing: None) -> Warehouse:
    """An admin, a director with a password, and a manager without one."""
    add_user(warehouse, "ada", "admin", password_hash=hash_password("admin-secret"))
    add_user(
        warehouse,
        "dan",
        "track_director",
        tracks=("auto",),
        email="Dan@Example.com",
        password_hash=hash_password("correct horse"),
    )
    add_user(warehouse, "amy", "account_manager")
    return warehouse


def attempts_of(wh: Warehouse, name: str) -> list[tuple[str, str]]:
    with wh.cursor() as cur:
        return cur.execute(
            "SELECT outcome, method FROM sign_in_attempts WHERE user_name = ?"
            " ORDER BY attempt_id",
            [name],
        ).fetchall()


def fail(n: float) -> Attempt:
    return Attempt(minutes(n), "failure")


@pytest.mark.parametrize(
    ("attempts", "until"),
    [
        ([], None),
        # four failures are not five
        ([fail(0), fail(1), fail(2), fail(3)], None),
        # the fifth within 15 minutes locks for 15 minutes from itself: 4 + 15
        ([fail(0), fail(1), fail(2), fail(3), fail(4)], minutes(19)),
        # five over 20 minutes: at 20 only 10, 15, 20 lie within (5, 20]
        ([fail(0), fail(5), fail(10), fail(15), fail(20)], None),
        # exactly 15 minutes apart is outside the window: 1–4 and 15 are four
        ([fail(0), fail(1), fail(2), fail(3), fail(15)], None),
        # a success starts the count again: one failure after it
        ([*(fail(n) for n in range(4)), Attempt(minutes(5), "success"), fail(6)], None),
        # attempts while locked do not extend the lock
        (
            [*(fail(n) for n in range(5)), Attempt(minutes(10), "locked"), fail(12)],
            minutes(19),
        ),
        # an admin's new password ends the lock
        ([*(fail(n) for n in range(5)), Attempt(minutes(6), "reset")], None),
        # after a lock, five new failures lock again: 24 + 15
        (
            [*(fail(n) for n in range(5)), *(fail(n) for n in range(20, 25))],
            minutes(39),
        ),
    ],
)
def test_locked_until_follows_the_lockout_rule(
    attempts: list[Attempt], until: datetime | None
) -> None:
    assert locked_until(attempts, SETTINGS) == until


def test_authenticate_right_password_gives_the_user(accounts: Warehouse) -> None:
    dan = authenticate(accounts, " dan ", "correct horse", now=T0)

    assert dan == Actor("dan", "track_director", ("auto",), None)
    assert attempts_of(accounts, "dan") == [("success", "password")]


@pytest.mark.parametrize(
    ("name", "password"),
    [
        ("dan", "wrong horse"),  # wrong password
        ("zed", "correct horse"),  # unknown user
        ("amy", ""),  # a user without a password
        ("operator", "anything"),  # the local operator is no account
        ("", "correct horse"),
    ],
)
def test_authenticate_refusals_say_the_same(
    accounts: Warehouse, name: str, password: str
) -> None:
    with pytest.raises(PermissionDenied) as wrong_password:
        authenticate(accounts, "dan", "wrong horse", now=T0)
    with pytest.raises(PermissionDenied) as refused:
        authenticate(accounts, name, password, now=T0)

    assert (refused.value.zh, refused.value.en) == (
        wrong_password.value.zh,
        wrong_password.value.en,
    )
    assert "用户名或密码不正确" in refused.value.zh
    assert attempts_of(accounts, name)[-1] == ("failure", "password")


@pytest.mark.parametrize("name", ["dan", "zed"])
def test_authenticate_locks_out_after_five_failures_then_releases(
    accounts: Warehouse, name: str
) -> None:
    # Known and unknown names lock alike, so a lock-out reveals nothing.
    for n in range(5):
        with pytest.raises(PermissionDenied, match="not correct"):
            authenticate(accounts, name, "guess", now=minutes(n))

    # Locked from the fifth failure (minute 4) until minute 4 + 15 = 19.
    with pytest.raises(PermissionDenied) as locked:
        authenticate(accounts, name, "correct horse", now=minutes(18))
    assert "锁定" in locked.value.zh and "09:19" in locked.value.en
    assert attempts_of(accounts, name)[-1] == ("locked", "password")

    if name == "dan":
        assert (
            authenticate(accounts, name, "correct horse", now=minutes(19)).name == "dan"
        )
    else:
        with pytest.raises(PermissionDenied, match="not correct"):
            authenticate(accounts, name, "correct horse", now=minutes(19))


def test_set_password_ends_lockout_and_is_audited(accounts: Warehouse) -> None:
    for n in range(5):
        with pytest.raises(PermissionDenied):
            authenticate(accounts, "dan", "guess", now=minutes(n))

    set_password(accounts, "dan", "a new start", acting=ADMIN, now=minutes(6))

    assert authenticate(accounts, "dan", "a new start", now=minutes(7)).name == "dan"
    with pytest.raises(PermissionDenied):
        authenticate(accounts, "dan", "correct horse", now=minutes(8))
    with accounts.cursor() as cur:
        audited = cur.execute(
            "SELECT user_name, action, subject, detail FROM audit_log"
            " WHERE action = 'user.password'"
        ).fetchall()
    assert [row[:3] for row in audited] == [("ada", "user.password", "dan")]
    assert "a new start" not in audited[0][3]


@pytest.mark.parametrize(
    ("name", "password", "acting", "error"),
    [
        ("dan", "short", ADMIN, ForecastError),  # under 8 characters
        ("dan", "  seven  ", ADMIN, ForecastError),  # spaces do not count
        ("zed", "long enough", ADMIN, NotFound),
        (
            "amy",
            "long enough",
            Actor("dan", "track_director", ("auto",)),
            PermissionDenied,
        ),
    ],
)
def test_set_password_refused_writes_nothing(
    accounts: Warehouse, name: str, password: str, acting: Actor, error: type
) -> None:
    with accounts.cursor() as cur:
        before = cur.execute(
            "SELECT (SELECT list(password_hash ORDER BY name) FROM users),"
            " (SELECT count(*) FROM sign_in_attempts),"
            " (SELECT count(*) FROM audit_log)"
        ).fetchall()

    with pytest.raises(error):
        set_password(accounts, name, password, acting=acting)

    with accounts.cursor() as cur:
        after = cur.execute(
            "SELECT (SELECT list(password_hash ORDER BY name) FROM users),"
            " (SELECT count(*) FROM sign_in_attempts),"
            " (SELECT count(*) FROM audit_log)"
        ).fetchall()
    assert after == before


def test_password_is_stored_only_as_an_argon2_hash(accounts: Warehouse) -> None:
    with accounts.cursor() as cur:
        (stored,) = cur.execute(
            "SELECT password_hash FROM users WHERE name = 'dan'"
        ).fetchall()[0]

    assert stored.startswith("$argon2id$") and "correct horse" not in stored


@pytest.mark.parametrize(
    ("email", "signed_in"),
    [
        ("dan@example.com", "dan"),
        ("  DAN@EXAMPLE.COM ", "dan"),
        ("nobody@example.com", None),
        ("", None),
    ],
)
def test_sign_in_with_email_matches_one_user(
    accounts: Warehouse, email: str, signed_in: str | None
) -> None:
    if signed_in:
        assert sign_in_with_email(accounts, email, now=T0).name == signed_in
        assert attempts_of(accounts, signed_in) == [("success", "sso")]
    else:
        with pytest.raises(PermissionDenied, match="single sign-on"):
            sign_in_with_email(accounts, email, now=T0)


def test_sign_in_with_email_shared_by_two_users_refused(accounts: Warehouse) -> None:
    add_user(accounts, "dora", "ceo", email="dan@example.com")

    with pytest.raises(PermissionDenied, match="more than one"):
        sign_in_with_email(accounts, "dan@example.com", now=T0)


@pytest.mark.parametrize(
    ("idle", "expired"),
    [(timedelta(minutes=29, seconds=59), False), (timedelta(minutes=30), True)],
)
def test_session_expires_after_thirty_idle_minutes(
    idle: timedelta, expired: bool
) -> None:
    assert session_expired(T0, T0 + idle, SETTINGS) is expired


def test_sign_in_attempts_are_append_only(accounts: Warehouse) -> None:
    with pytest.raises(PermissionDenied):
        authenticate(accounts, "dan", "guess", now=T0)

    with accounts.cursor() as cur, pytest.raises(duckdb.Error, match="append-only"):
        cur.execute("UPDATE sign_in_attempts SET outcome = 'success'")
    with accounts.cursor() as cur, pytest.raises(duckdb.Error, match="append-only"):
        cur.execute("DELETE FROM sign_in_attempts")


def test_no_default_account_outside_the_sample(accounts: Warehouse) -> None:
    with accounts.cursor() as cur:
        assert demo_accounts(cur) == []

    with pytest.raises(PermissionDenied):
        authenticate(accounts, "ada", DEMO_PASSWORD, now=T0)


# The sample warehouse: its users sign in with the documented demo password.


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    path: Path = tmp_path_factory.mktemp("sign_in") / "sample.duckdb"
    with Warehouse(path) as wh:
        build_sample(wh)
        yield wh


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("陈建国", "ceo"),
        ("赵敏", "admin"),
        ("孙丽", "analyst"),
        ("周涛", "track_director"),
        ("王磊", "account_manager"),
    ],
)
def test_sample_users_sign_in_with_the_demo_password(
    sample: Warehouse, name: str, role: str
) -> None:
    assert DEMO_PASSWORD == "demo2026"  # as docs/access.md and the sign-in page say

    assert authenticate(sample, name, DEMO_PASSWORD, now=T0).role == role


def test_demo_accounts_list_every_sample_user_by_role(sample: Warehouse) -> None:
    with sample.cursor() as cur:
        accounts = demo_accounts(cur)
        users = cur.execute("SELECT count(*) FROM users").fetchall()[0][0]

    roles = [a.role for a in accounts]
    assert len(accounts) == users == 24
    # CEO, admin, analyst, then 5 directors and 24 − 3 − 5 = 16 managers
    assert (
        roles
        == ["ceo", "admin", "analyst"]
        + ["track_director"] * 5
        + ["account_manager"] * 16
    )
    assert {a.password for a in accounts} == {"demo2026"}
    assert next(a for a in accounts if a.name == "周涛").tracks == ("汽车",)
