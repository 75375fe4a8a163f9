"""Loading one extract file: all or nothing, every attempt logged.

The file is read and checked on its own first, outside any transaction (the
slow part). Then one transaction checks it against the warehouse and, if
nothing is wrong, writes the rows, the load log row and the audit entry
together. A refused file writes only its load log row, in a transaction of
its own after the data transaction was rolled back. A file whose content was
loaded before is a no-op that says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from loaders import load_log, reading, validation, warehouse_checks, writing
from loaders.extracts import EXTRACTS, Extract
from loaders.load_log import Attempt
from loaders.report import LoadReport, LoadResult, Validation
from loaders.validation import Parsed
from warehouse import Warehouse, audit
from warehouse.access import require
from warehouse.errors import BadExtract, NotFound
from warehouse.users import resolve

log = logging.getLogger(__name__)

PREVIEW_ROWS = 50


@dataclass(frozen=True)
class _File:
    """The bytes of an extract file and what names it."""

    kind: str
    name: str
    data: bytes
    sha256: str


class _Refused(Exception):
    """Raised inside the data transaction so that it rolls back."""

    def __init__(self, report: LoadReport) -> None:
        super().__init__("refused")
        self.report = report


class _AlreadyLoaded(Exception):
    """Another load of the same content committed while this one parsed."""


def validate(
    warehouse: Warehouse,
    kind: str,
    path: Path,
    *,
    file_name: str | None = None,
    sheet: str | None = None,
) -> Validation:
    """Parse and check a file as a load would, writing nothing."""
    extract = _extract(kind)
    file = _read(kind, path, file_name)
    parsed = _parse(extract, file, sheet)

    with warehouse.cursor() as cur:
        previous = load_log.previous_load(cur, kind, file.sha256)
        check = warehouse_checks.check(cur, parsed)

    report = _combined(parsed, check)
    return Validation(
        kind=kind,
        file_name=file.name,
        sha256=file.sha256,
        report=report,
        rows_read=parsed.rows_read,
        preview=parsed.frame.head(PREVIEW_ROWS),
        counts=check.counts,
        already_loaded=previous[0] if previous else None,
    )


def load_file(
    warehouse: Warehouse,
    kind: str,
    path: Path,
    *,
    user_name: str = "operator",
    file_name: str | None = None,
    sheet: str | None = None,
) -> LoadResult:
    """Load one extract all or nothing; raise BadExtract with the report if refused.

    Only analysts and admins (and the local operator) load; anyone else is
    refused before the file is read, and nothing is logged or written.
    """
    started = dt.datetime.now()
    with warehouse.cursor() as cur:
        actor = resolve(cur, user_name)
    require(actor, "load_extract", subject=(f"{kind} 文件", f"a {kind} file"))

    extract = _extract(kind)
    file = _read(kind, path, file_name)

    # A repeated file is recognised before the costly parse, and again inside
    # the transaction in case another load of it committed meanwhile.
    with warehouse.cursor() as cur:
        previous = load_log.previous_load(cur, kind, file.sha256)
    if previous:
        return _unchanged(warehouse, file, user_name, started)

    parsed = _parse(extract, file, sheet)
    try:
        with warehouse.transaction() as cur:
            if load_log.previous_load(cur, kind, file.sha256):
                raise _AlreadyLoaded()

            check = warehouse_checks.check(cur, parsed)
            report = _combined(parsed, check)
            if not report.ok:
                raise _Refused(report)

            load_id = load_log.next_load_id(cur)
            rows_loaded = writing.write(cur, parsed, check, load_id)
            result = LoadResult(
                load_id=load_id,
                kind=kind,
                file_name=file.name,
                sha256=file.sha256,
                outcome="loaded",
                rows_read=parsed.rows_read,
                rows_loaded=rows_loaded,
                counts=check.counts,
            )
            load_log.record(cur, _attempt(result, parsed, user_name, started))
            audit.record(
                cur,
                user_name,
                "load",
                subject=f"{kind}:{file.name}",
                detail={"load_id": load_id, "sha256": file.sha256, **check.counts},
            )
    except _AlreadyLoaded:
        return _unchanged(warehouse, file, user_name, started)
    except _Refused as refused:
        _reject(warehouse, file, parsed, refused.report, user_name, started)

    log.info(
        "loaded %s file %s as load %d: %d rows read, %d written, %s",
        kind,
        file.name,
        result.load_id,
        result.rows_read,
        result.rows_loaded,
        result.counts,
    )
    return result


def _extract(kind: str) -> Extract:
    if kind not in EXTRACTS:
        kinds = ", ".join(EXTRACTS)
        raise NotFound(
            f"没有名为“{kind}”的导入类型。可用的类型：{kinds}。",
            f"There is no extract kind '{kind}'. The kinds are: {kinds}.",
        )
    return EXTRACTS[kind]


def _read(kind: str, path: Path, file_name: str | None) -> _File:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise NotFound(
            f"无法读取文件“{path}”（{error.strerror}）。请检查路径后重试。",
            f"Cannot read the file '{path}' ({error.strerror}). Check the path "
            "and try again.",
        ) from error
    return _File(kind, file_name or path.name, data, hashlib.sha256(data).hexdigest())


def _parse(extract: Extract, file: _File, sheet: str | None) -> Parsed:
    try:
        table = reading.read_table(file.data, sheet=sheet)
    except reading.UnreadableFile as unreadable:
        return validation.unreadable(extract, unreadable.problem)
    return validation.parse_extract(extract, table)


def _combined(parsed: Parsed, check: warehouse_checks.WarehouseCheck) -> LoadReport:
    problems = sorted(
        [*parsed.report.problems, *check.problems], key=lambda p: p.line_no
    )
    return LoadReport(list(parsed.report.missing_columns), problems)


def _file_detail(parsed: Parsed) -> dict[str, Any]:
    table = parsed.table
    if table is None:
        return {}
    return {
        "format": table.file_format,
        "encoding": table.encoding,
        "sheet": table.sheet,
        "extra_columns": parsed.extra_columns,
    }


def _attempt(
    result: LoadResult, parsed: Parsed, user_name: str, started: dt.datetime
) -> Attempt:
    return Attempt(
        load_id=result.load_id,
        kind=result.kind,
        file_name=result.file_name,
        sha256=result.sha256,
        outcome=result.outcome,
        rows_read=result.rows_read,
        rows_loaded=result.rows_loaded,
        rows_rejected=0,
        problem_count=0,
        detail={"counts": result.counts, **_file_detail(parsed)},
        user_name=user_name,
        started_at=started,
        finished_at=dt.datetime.now(),
    )


def _unchanged(
    warehouse: Warehouse, file: _File, user_name: str, started: dt.datetime
) -> LoadResult:
    """Log a repeated file as 'unchanged' and say which load it repeats."""
    with warehouse.transaction() as cur:
        previous = load_log.previous_load(cur, file.kind, file.sha256)
        assert previous is not None
        earlier, rows_read = previous
        load_id = load_log.next_load_id(cur)
        result = LoadResult(
            load_id=load_id,
            kind=file.kind,
            file_name=file.name,
            sha256=file.sha256,
            outcome="unchanged",
            rows_read=rows_read,
            rows_loaded=0,
            counts={"same_as_load_id": earlier},
        )
        load_log.record(
            cur,
            Attempt(
                load_id=load_id,
                kind=file.kind,
                file_name=file.name,
                sha256=file.sha256,
                outcome="unchanged",
                rows_read=rows_read,
                rows_loaded=0,
                rows_rejected=0,
                problem_count=0,
                detail={"same_as_load_id": earlier},
                user_name=user_name,
                started_at=started,
                finished_at=dt.datetime.now(),
            ),
        )

    log.info(
        "%s file %s repeats load %d: nothing changed", file.kind, file.name, earlier
    )
    return result


def _reject(
    warehouse: Warehouse,
    file: _File,
    parsed: Parsed,
    report: LoadReport,
    user_name: str,
    started: dt.datetime,
) -> NoReturn:
    """Log a refused file (its own transaction) and raise BadExtract."""
    # Line 0 is the file as a whole; a repeated column is a fault of the header.
    rejected_lines = {
        p.line_no
        for p in report.problems
        if p.line_no and p.reason != "duplicate_column"
    }
    detail = {
        "missing_columns": report.missing_columns,
        "problems": [p.as_dict() for p in report.problems[: load_log.LOGGED_PROBLEMS]],
        **_file_detail(parsed),
    }
    with warehouse.transaction() as cur:
        load_id = load_log.next_load_id(cur)
        load_log.record(
            cur,
            Attempt(
                load_id=load_id,
                kind=file.kind,
                file_name=file.name,
                sha256=file.sha256,
                outcome="rejected",
                rows_read=parsed.rows_read,
                rows_loaded=0,
                rows_rejected=len(rejected_lines),
                problem_count=report.problem_count,
                detail=detail,
                user_name=user_name,
                started_at=started,
                finished_at=dt.datetime.now(),
            ),
        )

    log.warning(
        "refused %s file %s (load %d): %d problems",
        file.kind,
        file.name,
        load_id,
        report.problem_count,
    )
    raise BadExtract(
        f"文件“{file.name}”（{file.kind}）未导入：发现 {report.problem_count} 个问题，"
        "未写入任何数据。请按下列各项修正后重新上传。",
        f"The file '{file.name}' ({file.kind}) was not loaded: "
        f"{report.problem_count} problems were found and nothing was written. "
        "Correct them as listed and upload it again.",
        report=report,
    )
