"""GraphQL types and operations of the system domain."""
