"""GraphQL types and operations of the accounts domain."""
