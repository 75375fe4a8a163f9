"""`forecast load KIND FILE`: load one extract (SPEC §3, §7).

Exit 0 when the file was loaded or had been loaded already; exit 1 when it was
refused, with every problem on stderr in the user's language.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.context import CommandContext
from loaders.extracts import EXTRACTS
from loaders.loading import load_file
from loaders.report import LoadReport
from warehouse.errors import BadExtract


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `load` command."""
    parser = subparsers.add_parser(
        "load",
        help="load one extract file (CSV or XLSX), all or nothing",
        description="Load one CRM / APS / ERP / PM / SAP extract. A refused file "
        "writes nothing and every problem is listed.",
    )
    parser.add_argument(
        "kind", choices=tuple(EXTRACTS), help="which extract the file is"
    )
    parser.add_argument("file", type=Path, help="the CSV or XLSX file")
    parser.add_argument("--sheet", help="XLSX: the sheet to read (default: the first)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Load the file and print the summary, or the full report of a refusal."""
    # load_file refuses anyone but an analyst or an admin (warehouse.access).
    user_name = ctx.user_name or "operator"

    try:
        result = load_file(
            ctx.warehouse, args.kind, args.file, user_name=user_name, sheet=args.sheet
        )
    except BadExtract as refused:
        ctx.warn(refused.zh, refused.en)
        if isinstance(refused.report, LoadReport):
            print(refused.report.render(ctx.lang), file=ctx.err)
        return 1

    print(result.render(ctx.lang), file=ctx.out)
    return 0
