"""What a load tells the user: every problem of a refused file, or what was loaded.

Each problem is one whole sentence in Chinese and in English that names the
line (as the user sees it: the header is line 1), the column as written in the
file's header, the value, what is wrong and what to do. Reasons are stable
codes, listed with their sentences in `REASONS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

# reason code → (Chinese, English) templates. Placeholders: line, column,
# value, and per reason `hint`/`hint_en` (the accepted values) or `first` (the
# line a duplicate repeats).
REASONS: dict[str, tuple[str, str]] = {
    "missing_value": (
        "第 {line} 行“{column}”为空：这是必填项，请补上后重新上传。",
        "Line {line}, column '{column}' is blank: it is required. Fill it in and "
        "upload the file again.",
    ),
    "bad_number": (
        "第 {line} 行“{column}”的值“{value}”不是有效金额：请写成 1234567.50 或 "
        "1,234,567.50。",
        "Line {line}, column '{column}': '{value}' is not an amount. Write it as "
        "1234567.50 or 1,234,567.50.",
    ),
    "number_too_large": (
        "第 {line} 行“{column}”的值“{value}”超出可记录范围（整数部分最多 16 位）："
        "请核对单位是否为元。",
        "Line {line}, column '{column}': '{value}' is too large to record (at most "
        "16 digits before the decimal point). Check that the unit is yuan.",
    ),
    "bad_count": (
        "第 {line} 行“{column}”的值“{value}”不是整数：套数请写成 0、1、2 这样的整数。",
        "Line {line}, column '{column}': '{value}' is not a whole number. Write "
        "set counts as 0, 1, 2 ….",
    ),
    "negative_amount": (
        "第 {line} 行“{column}”的值“{value}”是负数：金额和套数不能为负，请更正。",
        "Line {line}, column '{column}': '{value}' is negative. Amounts and set "
        "counts cannot be negative; correct it.",
    ),
    "bad_date": (
        "第 {line} 行“{column}”的值“{value}”不是有效日期：请写成 2026-03-05、"
        "2026/3/5、2026年3月5日 或 Excel 日期。",
        "Line {line}, column '{column}': '{value}' is not a valid date. Write it "
        "as 2026-03-05, 2026/3/5, 2026年3月5日 or an Excel date.",
    ),
    "bad_month": (
        "第 {line} 行“{column}”的值“{value}”不是有效月份：请写成 2026-03、2026/3 "
        "或 2026年3月。",
        "Line {line}, column '{column}': '{value}' is not a valid month. Write it "
        "as 2026-03, 2026/3 or 2026年3月.",
    ),
    "bad_datetime": (
        "第 {line} 行“{column}”的值“{value}”不是有效的日期或时间：请写成 "
        "2026-03-05 或 2026-03-05 14:30。",
        "Line {line}, column '{column}': '{value}' is not a valid date or "
        "date-time. Write it as 2026-03-05 or 2026-03-05 14:30.",
    ),
    "bad_year": (
        "第 {line} 行“{column}”的值“{value}”不是年份：请写四位年份，如 2026。",
        "Line {line}, column '{column}': '{value}' is not a year. Write four "
        "digits, such as 2026.",
    ),
    "bad_month_number": (
        "第 {line} 行“{column}”的值“{value}”不是月份：请写 1 到 12 的数字（或 3月）。",
        "Line {line}, column '{column}': '{value}' is not a month. Write a number "
        "from 1 to 12 (or 3月).",
    ),
    "month_out_of_range": (
        "第 {line} 行“{column}”的值“{value}”中的月份不在 1–12 之间：请更正。",
        "Line {line}, column '{column}': '{value}' names a month outside 1–12. "
        "Correct it.",
    ),
    "unknown_value": (
        "第 {line} 行“{column}”的值“{value}”无法识别：可填 {hint}。",
        "Line {line}, column '{column}': '{value}' is not recognised. Use one of "
        "{hint_en}.",
    ),
    "currency_not_cny": (
        "第 {line} 行“{column}”的货币为“{value}”：系统只记录人民币（CNY）金额，"
        "请在 SAP 中按人民币导出后重新上传。",
        "Line {line}, column '{column}': currency '{value}' — the warehouse "
        "records CNY only. Export the orders from SAP in CNY and upload again.",
    ),
    "duplicate_key": (
        "第 {line} 行与第 {first} 行的“{column}”相同（{value}）：同一文件中每个键只能"
        "出现一次，请删除或合并重复行。",
        "Line {line} repeats line {first} in '{column}' ({value}): a key may "
        "appear only once in a file. Remove or merge the duplicate.",
    ),
    "unknown_deal": (
        "第 {line} 行“{column}”的商机“{value}”在系统中不存在：请先导入包含该商机的 "
        "deals 文件，或更正商机编号。",
        "Line {line}, column '{column}': deal '{value}' is not in the warehouse. "
        "Load the deals file that has it first, or correct the deal ID.",
    ),
    "no_deal_or_project": (
        "第 {line} 行“{column}”都为空：出货必须填写商机编号或项目编号中的至少一个。",
        "Line {line}: '{column}' are both blank. A shipment needs a deal ID or a "
        "project ID.",
    ),
    "forecast_exists": (
        "第 {line} 行的预测（{value}）已导入过且数值不同：预测提交从不被替换，请以新的"
        "提交时间发送修订。",
        "Line {line}: the forecast ({value}) was loaded before with different "
        "figures. A forecast submission is never replaced; send it with a new "
        "submitted_at.",
    ),
    "order_exists": (
        "第 {line} 行的销售凭证“{value}”已导入过且内容不同：订单不会被替换。请与 SAP "
        "核对；若订单确有更改，请删除本行并联系管理员。",
        "Line {line}: sales document '{value}' was loaded before with different "
        "values. Orders are never replaced; check it against SAP, and if the "
        "order really changed, remove this line and contact the administrator.",
    ),
    "duplicate_column": (
        "表头中的“{column}”与另一列都表示 {value}：请只保留其中一列。",
        "The header names {value} twice (again as '{column}'). Keep only one of "
        "those columns.",
    ),
}

# count key → (Chinese, English) label used in the load summary.
COUNT_LABELS: dict[str, tuple[str, str]] = {
    "inserted": ("新增 {n} 行", "{n} new"),
    "replaced": (
        "更新 {n} 行（旧值留存于历史）",
        "{n} replaced (old values kept in history)",
    ),
    "identical": ("与现有相同 {n} 行", "{n} identical to the current values"),
    "skipped_identical": (
        "已导入且相同、跳过 {n} 行",
        "{n} already loaded and identical, skipped",
    ),
    "unmatched_shipments": (
        "未匹配到任何商机的出货 {n} 行（商品模在制品，已保留）",
        "{n} shipments matching no deal (commodity WIP work, kept)",
    ),
    "rows_with_extras": (
        "带额外列的行 {n} 行（额外列另存）",
        "{n} rows with extra columns (kept aside)",
    ),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a refused file; line 0 means the file as a whole."""

    line_no: int
    column: str
    value: str
    reason: str
    zh: str
    en: str

    @classmethod
    def of(
        cls, reason: str, line_no: int, column: str, value: str, **extra: object
    ) -> Problem:
        """A problem whose sentences come from the REASONS catalogue."""
        zh, en = REASONS[reason]
        fields = {"line": line_no, "column": column, "value": value, **extra}
        return cls(
            line_no, column, value, reason, zh.format(**fields), en.format(**fields)
        )

    def text(self, lang: str = "zh") -> str:
        """The sentence in the user's language ("zh" or "en")."""
        return self.en if lang == "en" else self.zh

    def as_dict(self) -> dict[str, object]:
        """The problem as JSON-ready data, for the load log."""
        return {
            "line_no": self.line_no,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "zh": self.zh,
            "en": self.en,
        }


@dataclass
class LoadReport:
    """Every problem found in one file: missing columns, then bad rows.

    `missing_columns` names each column in both languages, "商机编号 (deal_id)".
    """

    missing_columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is missing or wrong."""
        return not self.missing_columns and not self.problems

    @property
    def problem_count(self) -> int:
        """Missing columns and bad cells together."""
        return len(self.missing_columns) + len(self.problems)

    def render(self, lang: str = "zh") -> str:
        """Every problem, one per line, in the user's language."""
        lines = []
        if self.missing_columns:
            if lang == "en":
                lines.append(
                    "Missing required columns: "
                    + ", ".join(self.missing_columns)
                    + ". Add them to the header (the Chinese or the English name)."
                )
            else:
                lines.append(
                    "缺少必需的列："
                    + "、".join(self.missing_columns)
                    + "。请在表头加上这些列（中文名或英文名均可）。"
                )
        lines.extend(problem.text(lang) for problem in self.problems)
        return "\n".join(lines)


@dataclass(frozen=True)
class Validation:
    """What loading a file would do, found without writing anything.

    `preview` holds the first parsed rows (values as they would be stored;
    null where a cell is bad); `counts` what the load would add or replace.
    `already_loaded` is the earlier load of the same content, if any.
    """

    kind: str
    file_name: str
    sha256: str
    report: LoadReport
    rows_read: int
    preview: pl.DataFrame
    counts: dict[str, int]
    already_loaded: int | None


@dataclass(frozen=True)
class LoadResult:
    """The outcome of an accepted load ("loaded") or a repeated one ("unchanged")."""

    load_id: int
    kind: str
    file_name: str
    sha256: str
    outcome: str
    rows_read: int
    rows_loaded: int
    counts: dict[str, int]

    def render(self, lang: str = "zh") -> str:
        """A one-paragraph summary in the user's language."""
        if self.outcome == "unchanged":
            earlier = self.counts.get("same_as_load_id", self.load_id)
            if lang == "en":
                return (
                    f"Already loaded, nothing changed: '{self.file_name}' has the same "
                    f"content as {self.kind} load {earlier}."
                )
            return (
                f"文件已导入过，未做任何更改：“{self.file_name}”"
                f"与第 {earlier} 次导入的 {self.kind} 文件内容相同。"
            )

        details = [
            COUNT_LABELS[key][1 if lang == "en" else 0].format(n=n)
            for key, n in self.counts.items()
            if key in COUNT_LABELS and n
        ]
        if lang == "en":
            text = (
                f"Loaded {self.kind} file '{self.file_name}' as load {self.load_id}: "
                f"{self.rows_read} rows read, {self.rows_loaded} written"
            )
            return text + ("; " + "; ".join(details) if details else "") + "."
        text = (
            f"已导入 {self.kind} 文件“{self.file_name}”（导入编号 {self.load_id}）："
            f"读取 {self.rows_read} 行，写入 {self.rows_loaded} 行"
        )
        return text + ("；" + "；".join(details) if details else "") + "。"
