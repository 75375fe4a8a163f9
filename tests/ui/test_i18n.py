"""ui.i18n: every key in both languages, and every key the pages use exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from ui.i18n import CATALOGUE, both

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    [ROOT / "dashboard.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py")]
)
USED = re.compile(r"""\bt\(\s*["']([a-z_]+\.[A-Za-z_. ]+)["']""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_catalogue_key_has_both_languages_with_same_placeholders(key: str) -> None:
    zh, en = CATALOGUE[key]

    assert zh.strip() and en.strip()
    assert placeholders(zh) == placeholders(en)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_catalogue_has_every_key_a_source_uses(source: Path) -> None:
    used = set(USED.findall(source.read_text(encoding="utf-8")))

    assert used - set(CATALOGUE) == set()


def test_both_fills_placeholders_in_each_language() -> None:
    zh, en = both("upload.already", load_id=7)

    assert "第 7 次导入" in zh
    assert "(load 7)" in en
