"""FlashMart: a flash-sale commerce platform exposed as a GraphQL API."""

__version__ = "0.1.0"
