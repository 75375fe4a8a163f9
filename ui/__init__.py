"""The dashboard's page layer: words, numbers, sidebar, cached reads, charts."""
