"""GraphQL types and operations of after-sales (refund requests)."""
