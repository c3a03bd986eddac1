"""Image checks go by content: real images are re-encoded and measured, anything else refused."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from flashmart.catalog.images import process_image
from flashmart.core.errors import DomainFailure, ErrorCode

LIMITS = {"max_bytes": 1_000_000, "max_pixels": 10_000_000}


def image_bytes(
    fmt: str, size: tuple[int, int] = (64, 32), mode: str = "RGB", **save: object
) -> bytes:
    out = io.BytesIO()
    colour = (255, 0, 0, 128) if mode == "RGBA" else "red"  # half transparent
    Image.new(mode, size, colour).save(out, fmt, **save)
    return out.getvalue()


def _code(data: bytes, **limits: int) -> ErrorCode:
    with pytest.raises(DomainFailure) as failure:
        process_image(data, **{**LIMITS, **limits})
    [error] = failure.value.errors
    assert error.field == ("file",)
    return error.code


@pytest.mark.parametrize(
    ("fmt", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp"), ("GIF", "png")]
)
def test_real_images_are_measured_reencoded_and_thumbnailed(fmt: str, extension: str) -> None:
    processed = process_image(image_bytes(fmt, (1200, 600)), **LIMITS)
    assert (processed.extension, processed.width, processed.height) == (extension, 1200, 600)
    stored = Image.open(io.BytesIO(processed.content))
    assert stored.size == (1200, 600)
    thumb = Image.open(io.BytesIO(processed.thumbnail))
    assert (thumb.format, thumb.size) == ("WEBP", (400, 200))


def test_exif_orientation_is_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    processed = process_image(image_bytes("JPEG", (80, 40), exif=exif.tobytes()), **LIMITS)
    assert (processed.width, processed.height) == (40, 80)
    assert "exif" not in Image.open(io.BytesIO(processed.content)).info


def test_transparency_survives_in_the_thumbnail() -> None:
    processed = process_image(image_bytes("PNG", mode="RGBA"), **LIMITS)
    assert Image.open(io.BytesIO(processed.thumbnail)).mode == "RGBA"


def test_anything_appended_to_an_image_is_dropped() -> None:
    polyglot = image_bytes("PNG") + b"<html><script>alert(1)</script></html>"
    assert b"<script>" not in process_image(polyglot, **LIMITS).content


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"just some text pretending to be a picture",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,  # PNG magic bytes, then nothing valid
        image_bytes("PNG")[:60],  # a truncated PNG
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        image_bytes("BMP"),  # a real image, but not a type we take
    ],
)
def test_non_images_are_refused(data: bytes) -> None:
    assert _code(data) is ErrorCode.UNSUPPORTED_FILE_TYPE


def test_size_and_pixel_limits() -> None:
    data = image_bytes("PNG", (300, 300))
    assert _code(data, max_bytes=len(data) - 1) is ErrorCode.FILE_TOO_LARGE
    assert _code(data, max_pixels=300 * 300 - 1) is ErrorCode.UNSUPPORTED_FILE_TYPE
