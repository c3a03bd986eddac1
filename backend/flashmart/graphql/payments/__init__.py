"""GraphQL types and operations of the payments domain."""
