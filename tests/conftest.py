"""Fixtures shared by the whole suite: a fresh warehouse and the CLI."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli.main import main
from warehouse import Warehouse


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a warehouse file that does not exist yet."""
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def warehouse(db_path: Path) -> Iterator[Warehouse]:
    """A new, empty, fully upgraded warehouse, closed after the test."""
    wh = Warehouse(db_path)
    wh.connect()
    yield wh
    wh.close()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(db_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run `forecast …` in-process against the test's warehouse file."""

    def run(*argv: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr("sys.stdout", out)
        monkeypatch.setattr("sys.stderr", err)
        code = main(["--db", str(db_path), *argv])
        monkeypatch.undo()
        return CliResult(code, out.getvalue(), err.getvalue())

    return run
