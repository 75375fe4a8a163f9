"""SQL text kept in .sql files beside the code, and the one identifier quoter."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def query(package: str, name: str) -> str:
    """The text of `<name>.sql` shipped inside `package` (e.g. "rules.queries")."""
    return resources.files(package).joinpath(f"{name}.sql").read_text("utf-8")


def quote_ident(name: str) -> str:
    """Quote a table or column name for DuckDB; values are always bound instead."""
    return '"' + name.replace('"', '""') + '"'
