"""The sample warehouse, built once for the tests of the sample (it takes seconds)."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from cli.main import main


@dataclass(frozen=True)
class BuiltSample:
    """Where `forecast demo` built the sample, and what it said."""

    path: Path
    code: int
    out: str
    err: str


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> BuiltSample:
    """`forecast --db <tmp> demo`, run once for the session."""
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", str(path), "demo"])
    return BuiltSample(path, code, out.getvalue(), err.getvalue())


@pytest.fixture
def sample(built_sample: BuiltSample) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the built sample, closed after the test."""
    assert built_sample.code == 0, built_sample.err
    con = duckdb.connect(str(built_sample.path), read_only=True)
    yield con
    con.close()
