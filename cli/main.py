"""Entry point of the `forecast` console script (SPEC §7).

Command groups live in `cli/commands/`, one module each, and are discovered
here: a module defines `register(subparsers)` and sets `run=handler` on its
parser; a handler takes (args, ctx) and returns the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
from collections.abc import Sequence

import cli.commands
from cli.context import CommandContext
from rules.settings import load_settings
from warehouse import Warehouse, configured_path
from warehouse.errors import ForecastError


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every discovered command group."""
    parser = argparse.ArgumentParser(
        prog="forecast", description="Sales-forecast management warehouse."
    )
    parser.add_argument(
        "--db", help="warehouse file (default $FORECAST_DB or forecast.duckdb)"
    )
    parser.add_argument("--user", help="act as this user, with their role and scope")
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=os.environ.get("FORECAST_LANG", "zh"),
        help="language of messages and reports (default zh)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO")

    subparsers = parser.add_subparsers(dest="command", required=True)
    for module in pkgutil.iter_modules(cli.commands.__path__):
        importlib.import_module(f"cli.commands.{module.name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; exit 0 on success, 1 on a refusal the user can act on."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )

    warehouse = Warehouse(configured_path(args.db))
    ctx = CommandContext(
        warehouse=warehouse,
        user_name=args.user,
        lang=args.lang,
        settings=load_settings(),
    )
    try:
        return int(args.run(args, ctx) or 0)
    except ForecastError as error:
        print(error.text(args.lang), file=sys.stderr)
        return 1
    finally:
        warehouse.close()


if __name__ == "__main__":
    sys.exit(main())
