"""The `forecast` command line."""
