"""The GraphQL API: thin resolvers over the domain services."""
