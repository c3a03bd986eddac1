"""Error codes of the cart, checkout and order domain (members of the shared `ErrorCode`)."""

from flashmart.core.errors import ErrorCode

ORDER_ERRORS = (
    ErrorCode.CART_EMPTY,
    ErrorCode.INSUFFICIENT_STOCK,
    ErrorCode.PRODUCT_UNAVAILABLE,
    ErrorCode.INVALID_STATE,
    ErrorCode.NOT_FOUND,
    ErrorCode.ADDRESS_REQUIRED,
)
