"""The cart domain: models, services and jobs (no GraphQL here)."""
