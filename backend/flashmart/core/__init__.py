"""Cross-cutting infrastructure: settings, database, Redis, queue, logging, metrics."""
