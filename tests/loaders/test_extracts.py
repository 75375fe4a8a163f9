"""The extract definitions: header spellings, and the doc that describes them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from loaders import KINDS
from loaders.extracts import EXTRACTS, choice_key

DOC = Path(__file__).resolve().parents[2] / "docs" / "extracts.md"


@pytest.mark.parametrize(
    ("spelling", "key"),
    [("L Potential", "lpotential"), (" l_potential ", "lpotential"),
     ("Mold-Development", "molddevelopment"), ("Sold-To Party", "soldtoparty"),
     ("Secured日期", "secured日期"), ("商机编号", "商机编号")],
)  # fmt: skip
def test_choice_key_ignores_case_spaces_and_separators(spelling: str, key: str) -> None:
    assert choice_key(spelling) == key


def test_extracts_header_spellings_name_one_column_each() -> None:
    for extract in EXTRACTS.values():
        seen: dict[str, str] = {}
        for column in extract.columns:
            for key in column.header_keys():
                assert seen.setdefault(key, column.name) == column.name, (
                    f"{extract.kind}: header {key!r} names two columns"
                )


def test_extracts_keys_are_columns() -> None:
    for extract in EXTRACTS.values():
        names = {column.name for column in extract.columns}
        assert set(extract.key) <= names
        assert set(extract.one_of) <= names


@pytest.mark.parametrize("kind", KINDS)
def test_extracts_doc_lists_every_column_of_the_kind(kind: str) -> None:
    # The section of docs/extracts.md that starts at this kind's heading.
    text = DOC.read_text("utf-8")
    section = re.split(r"^### ", text, flags=re.MULTILINE)
    (body,) = [part for part in section if part.startswith(f"`{kind}`")]

    for column in EXTRACTS[kind].columns:
        assert f"{column.zh} · `{column.name}`" in body
        for alias in column.aliases:
            assert f"`{alias}`" in body
