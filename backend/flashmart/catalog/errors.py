"""Error codes of the catalog domain (members of the shared `ErrorCode`)."""

from flashmart.core.errors import ErrorCode

CATALOG_ERRORS = (
    ErrorCode.INVALID,  # a value out of bounds: name length, price, stock, slug format, cycle
    ErrorCode.REQUIRED,  # a required value was null or blank
    ErrorCode.NOT_FOUND,  # the product, category or parent category is not there (or deleted)
    ErrorCode.UNIQUE,  # the slug is taken
    ErrorCode.FILE_TOO_LARGE,  # an upload is larger than `MEDIA_MAX_BYTES`
    ErrorCode.UNSUPPORTED_FILE_TYPE,  # an upload is not a PNG, JPEG, WebP or GIF image
    ErrorCode.CATEGORY_NOT_EMPTY,  # a category to delete still holds products or categories
)
