"""The catalog domain: models, services and jobs (no GraphQL here)."""
