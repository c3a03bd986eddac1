"""The accounts domain: models, services and jobs (no GraphQL here)."""
