"""GraphQL types and operations of the seckill domain."""
