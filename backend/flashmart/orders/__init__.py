"""The orders domain: models, services and jobs (no GraphQL here)."""
