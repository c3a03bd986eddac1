"""GraphQL types and operations of the catalog domain."""
