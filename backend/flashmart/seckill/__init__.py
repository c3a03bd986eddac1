"""The seckill domain: models, the buy, persistence, reconciliation and jobs (no GraphQL here).

Importing the package (Tortoise does, with the models) registers how a flash-sale order's
units go back to its sale with the orders domain (`returns.py`).
"""

from flashmart.seckill import returns as returns
