"""The payments domain: models, services and jobs (no GraphQL here)."""
