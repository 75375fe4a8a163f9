"""Who may do what: the one permission matrix of the product, and each role's scope.

Every action a user can take, in the command line or the dashboard, is a row
of `MATRIX`; the columns are the roles of SPEC §1. A cell is one of:

- allowed whatever the subject (the CEO handles any alert);
- allowed for the director of the subject's track (a director handles the
  alerts of their tracks and approves migrations there);
- allowed for the subject's own account manager (a manager asks to migrate the
  baseline of their own deal);
- refused.

The local operator (no `--user`) may do everything, as a database
administrator would. `require()` is the one check the warehouse functions call
before they read or write; it raises PermissionDenied with a whole sentence in
both languages that says who may do it instead. Reading is further narrowed by
`deal_scope()`: own deals, own tracks, or everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from warehouse.errors import PermissionDenied

if TYPE_CHECKING:
    from warehouse.users import Actor

ROLES = ("account_manager", "track_director", "ceo", "analyst", "admin")

# The role as a noun: Chinese, English with its article (for "only … may").
ROLE_NAMES = {
    "account_manager": ("客户经理", "an account manager"),
    "track_director": ("赛道总监", "a track director"),
    "ceo": ("CEO", "the CEO"),
    "analyst": ("经营分析", "an analyst"),
    "admin": ("系统管理员", "an admin"),
    "operator": ("本地操作员", "the local operator"),
}

# Roles that see every deal; the others see their own deals or their tracks.
SEES_ALL = ("operator", "ceo", "analyst", "admin")


@dataclass(frozen=True)
class Rule:
    """One row of the matrix: an action and who may take it."""

    zh: str  # the action as a verb phrase, e.g. "处理告警"
    en: str  # e.g. "handle an alert"
    roles: tuple[str, ...] = ()  # allowed whatever the subject
    track_director: bool = False  # the director of the subject's track
    own_manager: bool = False  # the subject's own account manager
    reads: bool = False  # a view: refusing it changes nothing anyway


_ALL = ROLES
_LEADERS = ("ceo", "track_director", "analyst", "admin")

# The permission matrix. Views are open to every role and narrowed by scope;
# an analyst loads and checks data but decides nothing; an admin executes and
# keeps the books but never decides or edits history.
MATRIX: dict[str, Rule] = {
    "view_board": Rule("查看看板", "view the board", _ALL, reads=True),
    "view_deal": Rule(
        "查看商机",
        "see the deal",
        ("ceo", "analyst", "admin"),
        track_director=True,
        own_manager=True,
        reads=True,
    ),
    "view_alerts": Rule("查看告警", "view alerts", _ALL, reads=True),
    "view_review": Rule(
        "查看客户经理月度复盘", "open the monthly manager review", _LEADERS, reads=True
    ),
    "view_history": Rule(
        "查看快照、基准和商机历史",
        "view snapshots, baselines and deal history",
        _ALL,
        reads=True,
    ),
    "view_migrations": Rule("查看目标迁移", "view migrations", _ALL, reads=True),
    "view_audit": Rule(
        "查看审计日志", "view the audit log", ("ceo", "admin"), reads=True
    ),
    "view_load_log": Rule(
        "查看导入记录", "view the load log", ("ceo", "analyst", "admin"), reads=True
    ),
    "view_users": Rule("查看用户列表", "list the users", ("ceo", "admin"), reads=True),
    "verify_snapshots": Rule(
        "校验快照哈希链", "verify the snapshot chain", _ALL, reads=True
    ),
    "handle_alert": Rule("处理告警", "handle an alert", ("ceo",), track_director=True),
    "escalate_alert": Rule(
        "上升告警", "escalate an alert", ("ceo",), track_director=True
    ),
    "record_review": Rule(
        "记录复盘意见", "record review notes", ("ceo",), track_director=True
    ),
    "request_migration": Rule(
        "申请目标迁移", "ask for a baseline migration", own_manager=True
    ),
    "approve_migration": Rule(
        "审批目标迁移", "approve or reject a migration", track_director=True
    ),
    "execute_migration": Rule("执行目标迁移", "execute a migration", ("admin",)),
    "load_extract": Rule("导入数据文件", "load an extract", ("analyst", "admin")),
    "run_check": Rule("运行告警检查", "run the alert check", ("analyst", "admin")),
    "take_snapshot": Rule("生成快照", "take a snapshot", ("admin",)),
    "take_baseline": Rule("生成年度基准", "take an annual baseline", ("admin",)),
    "manage_users": Rule("管理用户", "manage users", ("admin",)),
    "export_aps": Rule("导出 APS/PMC 交接文件", "export the APS/PMC hand-off", _ALL),
    "build_pack": Rule("生成例会材料", "build the meeting pack", _ALL),
    "run_schedule": Rule("运行每日计划任务", "run the daily jobs", ("admin",)),
    "notify": Rule("发送告警通知", "deliver alert notifications", ("admin",)),
}

ACTIONS = tuple(MATRIX)


def rule(action: str) -> Rule:
    """The matrix row of an action; an unknown action is a programming error."""
    try:
        return MATRIX[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}; see warehouse.access") from None


def manages(actor: Actor, account_manager: str | None) -> bool:
    """Whether the actor is the named account manager (the CRM's identity)."""
    if actor.role != "account_manager" or not account_manager:
        return False
    return (actor.account_manager or actor.name) == account_manager


def directs(actor: Actor, track: str | None) -> bool:
    """Whether the actor is a track director whose tracks include this one."""
    return (
        actor.role == "track_director" and track is not None and track in actor.tracks
    )


def allowed(
    actor: Actor,
    action: str,
    *,
    track: str | None = None,
    account_manager: str | None = None,
) -> bool:
    """Whether the actor may take the action on a subject of this track and manager."""
    row = rule(action)
    if actor.is_operator or actor.role in row.roles:
        return True
    if row.track_director and directs(actor, track):
        return True
    return row.own_manager and manages(actor, account_manager)


def role_may(role: str, action: str) -> bool:
    """Whether a role may take the action on some subject (for menus and pages)."""
    row = rule(action)
    if role == "operator" or role in row.roles:
        return True
    if row.track_director and role == "track_director":
        return True
    return row.own_manager and role == "account_manager"


def require(
    actor: Actor,
    action: str,
    *,
    track: str | None = None,
    account_manager: str | None = None,
    subject: tuple[str, str] | None = None,
) -> None:
    """Refuse with PermissionDenied unless the actor may take the action.

    `track` and `account_manager` are the subject's (the alert's track, the
    deal's manager); `subject` names it in both languages for the message,
    e.g. ("告警 12", "alert 12").
    """
    if allowed(actor, action, track=track, account_manager=account_manager):
        return

    row = rule(action)
    role_zh, role_en = ROLE_NAMES.get(actor.role, (actor.role, actor.role))
    what_zh = f"{row.zh}（{subject[0]}）" if subject else row.zh
    what_en = f"{row.en} ({subject[1]})" if subject else row.en
    who_zh, who_en = who_may(action, track=track, account_manager=account_manager)
    role_en = role_en.split(" ", 1)[-1]

    if row.reads:
        next_zh = "如需查看，请联系上述人员。"
        next_en = "If you need it, ask them."
    else:
        next_zh = "未做任何更改；如确需办理，请交由上述人员。"
        next_en = "Nothing was changed; if it must be done, hand it to them."
    raise PermissionDenied(
        f"用户“{actor.name}”的角色是{role_zh}，不能{what_zh}：只有{who_zh}可以。{next_zh}",
        f"User '{actor.name}' is {_article(role_en)} {role_en} and may not "
        f"{what_en}: only {who_en} may. {next_en}",
    )


def who_may(
    action: str, *, track: str | None = None, account_manager: str | None = None
) -> tuple[str, str]:
    """Who may take the action, as a phrase in both languages."""
    row = rule(action)
    zh: list[str] = []
    en: list[str] = []
    if row.own_manager:
        zh.append(
            f"客户经理“{account_manager}”本人" if account_manager else "其客户经理"
        )
        en.append(
            f"its account manager '{account_manager}'"
            if account_manager
            else "its account manager"
        )
    if row.track_director:
        zh.append(f"赛道“{track}”的赛道总监" if track else "该赛道的赛道总监")
        en.append(f"the director of track '{track}'" if track else "its track director")
    for role in row.roles:
        zh.append(ROLE_NAMES[role][0])
        en.append(ROLE_NAMES[role][1])
    if len(en) > 1:
        return "或".join(zh), ", ".join(en[:-1]) + " or " + en[-1]
    return zh[0], en[0]


def require_admin(actor: Actor, action_zh: str, action_en: str) -> None:
    """Refuse unless the actor is an admin or the local operator.

    Kept for callers that name their action in words; new code calls
    require() with an action of the matrix.
    """
    if actor.is_operator or actor.role == "admin":
        return

    role_zh, role_en = ROLE_NAMES.get(actor.role, (actor.role, actor.role))
    role_en = role_en.split(" ", 1)[-1]
    raise PermissionDenied(
        f"用户“{actor.name}”的角色是{role_zh}，不能{action_zh}：只有系统管理员可以。"
        "未做任何更改；请让系统管理员来做。",
        f"User '{actor.name}' is {_article(role_en)} {role_en} and may not "
        f"{action_en}: only an admin may. Nothing was changed; ask an admin to do it.",
    )


def sees_all(actor: Actor) -> bool:
    """Whether the actor's scope is every deal (CEO, analyst, admin, operator)."""
    return actor.role in SEES_ALL


def sees_deal(actor: Actor, track: str, account_manager: str) -> bool:
    """Whether the actor may see a deal: own deals, own tracks, or everything."""
    return allowed(actor, "view_deal", track=track, account_manager=account_manager)


def deal_scope(actor: Actor) -> list[Any]:
    """Bound parameters [sees_all, tracks, account_manager] for a deal filter.

    Queries filter with `? OR list_contains(?, track) OR account_manager = ?`,
    so that the scope of sees_deal() is applied inside SQL as well. A role
    outside SPEC §1 sees nothing.
    """
    if sees_all(actor):
        return [True, [], None]
    if actor.role == "track_director":
        return [False, list(actor.tracks), None]
    if actor.role == "account_manager":
        return [False, [], actor.account_manager or actor.name]
    return [False, [], None]


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"
