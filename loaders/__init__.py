"""Loading the extracts of SPEC §3 (CRM, APS/ERP/PM, SAP) into the warehouse.

validate(warehouse, kind, path)   parse and check, write nothing
load_file(warehouse, kind, path)  load all or nothing, log every attempt
"""

from __future__ import annotations

from loaders.extracts import EXTRACTS
from loaders.loading import load_file, validate
from loaders.report import LoadReport, LoadResult, Problem, Validation

KINDS: tuple[str, ...] = tuple(EXTRACTS)

__all__ = [
    "KINDS",
    "LoadReport",
    "LoadResult",
    "Problem",
    "Validation",
    "load_file",
    "validate",
]
