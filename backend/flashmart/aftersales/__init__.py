"""After-sales: refund and return requests of paid orders."""
