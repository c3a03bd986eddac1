"""The seckill domain: models, services and jobs (no GraphQL here)."""
