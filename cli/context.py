"""What every command receives: the warehouse, the acting user, the language."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

from rules.settings import Settings
from warehouse import Warehouse
from warehouse.users import Actor, resolve


@dataclass
class CommandContext:
    """The parsed common options of one `forecast` invocation."""

    warehouse: Warehouse
    user_name: str | None
    lang: str
    settings: Settings
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)

    def actor(self) -> Actor:
        """The acting user (the local operator when --user was not given)."""
        with self.warehouse.cursor() as cur:
            return resolve(cur, self.user_name)

    def say(self, zh: str, en: str) -> None:
        """Print a line of command output in the user's language."""
        print(en if self.lang == "en" else zh, file=self.out)

    def warn(self, zh: str, en: str) -> None:
        """Print a line to stderr in the user's language."""
        print(en if self.lang == "en" else zh, file=self.err)
