"""GraphQL types and operations of the orders domain."""
