"""Product images: check that an upload really is an image, re-encode it, store it, thumbnail it.

The type is decided by Pillow from the file's bytes (its magic number and a full decode), never
by the file name or the client's content type. Accepted: PNG, JPEG, WebP and GIF (stored as PNG,
first frame). Every image is re-encoded, which drops metadata (EXIF location and the like) and
anything appended to the file, turned upright by its EXIF orientation and, when a side is
longer than `MEDIA_MAX_DIMENSION`, scaled down to fit (a phone's 4000 x 3000 photo is stored at
2048 x 1536 by default; a JPEG twice that size or more is decoded at a reduced scale to start
with). A WebP thumbnail
of at most `THUMBNAIL_SIZE` sits next to it. Files live under `<DATA_DIR>/media/products/<id>/`,
served at `/media/...`.
"""

from __future__ import annotations

import asyncio
import io
import secrets
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PIL import Image, ImageOps, UnidentifiedImageError
from tortoise.transactions import in_transaction

from flashmart.catalog.models import ProductImage
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.i18n import Message, text

FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "png"}  # read as → stored as
THUMBNAIL_SIZE = (400, 400)
MEDIA_URL = "/media/"
FILE_FIELD = ("file",)


class Readable(Protocol):
    """An uploaded file (Starlette's `UploadFile`, or anything with an async `read`)."""

    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class ProcessedImage:
    content: bytes
    extension: str
    width: int
    height: int
    thumbnail: bytes


def _unsupported(message: Message | None = None) -> DomainFailure:
    message = message or text("The file is not a PNG, JPEG, WebP or GIF image")
    return DomainFailure(DomainError(ErrorCode.UNSUPPORTED_FILE_TYPE, message, FILE_FIELD))


def too_large(max_bytes: int) -> DomainFailure:
    return DomainFailure(
        DomainError(
            ErrorCode.FILE_TOO_LARGE,
            text("The file is larger than {limit} bytes", limit=max_bytes),
            FILE_FIELD,
        )
    )


async def read_limited(upload: Readable, max_bytes: int) -> bytes:
    """The upload's bytes, or FILE_TOO_LARGE without reading more than one byte past the limit."""
    data = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    return data


def _decode(data: bytes, max_pixels: int, max_dimension: int | None) -> Image.Image:
    if not data:
        raise _unsupported(text("The file is empty"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            width, height = image.size
            if width * height > max_pixels:
                raise _unsupported(text("The image has more than {limit} pixels", limit=max_pixels))
            if max_dimension is not None and image.format == "JPEG":
                # Decode at the smallest of 1/1, 1/2, 1/4, 1/8 that still covers the size kept
                # (Pillow's JPEG draft mode; no reduction below twice that size).
                image.draft("RGB", (max_dimension, max_dimension))
            image.load()  # a truncated or corrupt file fails here, not later
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise _unsupported() from exc
    return image


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=85)
    else:
        image.save(out, "PNG")
    return out.getvalue()


def process_image(
    data: bytes, *, max_bytes: int, max_pixels: int, max_dimension: int | None = None
) -> ProcessedImage:
    """Check and re-encode `data`, at most `max_dimension` pixels a side (None: as it is);
    CPU-bound: call it in a thread."""
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    image = _decode(data, max_pixels, max_dimension)
    source_format = image.format or ""
    if source_format == "GIF":
        image.seek(0)
        image = image.convert("RGBA")
    upright = ImageOps.exif_transpose(image)
    stored_format = "PNG" if source_format == "GIF" else source_format
    if upright.mode not in ("RGB", "RGBA", "L", "LA"):
        upright = upright.convert("RGBA" if "transparency" in upright.info else "RGB")
    if max_dimension is not None and max(upright.size) > max_dimension:
        upright = upright.copy()
        upright.thumbnail((max_dimension, max_dimension), Image.Resampling.LANCZOS)
    thumb = upright.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    return ProcessedImage(
        content=_encode(upright, stored_format),
        extension=FORMATS[source_format],
        width=upright.width,
        height=upright.height,
        thumbnail=_encode(thumb, "WEBP"),
    )


def _write(media_dir: Path, product_id: int, processed: ProcessedImage) -> tuple[str, str]:
    folder = Path("products") / str(product_id)
    (media_dir / folder).mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(8)
    file = folder / f"{token}.{processed.extension}"
    thumbnail = folder / f"{token}-thumb.webp"
    (media_dir / file).write_bytes(processed.content)
    (media_dir / thumbnail).write_bytes(processed.thumbnail)
    return file.as_posix(), thumbnail.as_posix()


def _remove(media_dir: Path, *paths: str) -> None:
    for path in paths:
        (media_dir / path).unlink(missing_ok=True)


async def store_product_image(
    *,
    media_dir: Path,
    product_id: int,
    data: bytes,
    alt: str,
    max_bytes: int,
    max_pixels: int,
    max_dimension: int | None = None,
) -> ProductImage:
    """Check, store and record one image of an existing product, after its other images."""
    processed = await asyncio.to_thread(
        process_image, data, max_bytes=max_bytes, max_pixels=max_pixels, max_dimension=max_dimension
    )
    [image] = await store_processed_images(
        media_dir=media_dir, product_id=product_id, images=[processed], alt=alt
    )
    return image


async def store_processed_images(
    *, media_dir: Path, product_id: int, images: Sequence[ProcessedImage], alt: str
) -> list[ProductImage]:
    """Write checked images and record them, in order, after the product's other images: all
    of them or (files removed again) none."""
    written: list[tuple[str, str]] = []
    try:
        for processed in images:
            written.append(await asyncio.to_thread(_write, media_dir, product_id, processed))
        async with in_transaction():
            last = await ProductImage.filter(product_id=product_id).order_by("-position").first()
            start = 0 if last is None else last.position + 1
            return [
                await ProductImage.create(
                    product_id=product_id,
                    file=file,
                    thumbnail=thumbnail,
                    alt=alt,
                    position=start + offset,
                    width=processed.width,
                    height=processed.height,
                )
                for offset, (processed, (file, thumbnail)) in enumerate(
                    zip(images, written, strict=True)
                )
            ]
    except BaseException:
        await asyncio.to_thread(_remove, media_dir, *(path for pair in written for path in pair))
        raise


async def remove_product_image_files(media_dir: Path, image: ProductImage) -> None:
    """Delete an image's file and thumbnail (after its row is gone; missing files are fine)."""
    await asyncio.to_thread(_remove, media_dir, *(p for p in (image.file, image.thumbnail) if p))


def media_url(path: str) -> str:
    return MEDIA_URL + path
