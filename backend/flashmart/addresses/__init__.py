"""The shopper's address book (docs/checkout.md)."""
