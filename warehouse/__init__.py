"""The DuckDB warehouse: schema, connections, history and the audit log."""

from warehouse.connection import Warehouse, configured_path

__all__ = ["Warehouse", "configured_path"]
