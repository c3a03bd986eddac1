"""GraphQL types and operations of the cart domain."""
