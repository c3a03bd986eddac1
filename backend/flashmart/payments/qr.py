"""QR codes of pay URLs, as standalone SVG documents (scan with a phone to open the pay page)."""

from __future__ import annotations

import io
from functools import lru_cache

import segno


@lru_cache(maxsize=256)
def qr_svg(data: str, *, scale: int = 4) -> str:
    """An SVG QR code (error correction M, quiet zone included) encoding `data` exactly."""
    code = segno.make_qr(data, error="m", boost_error=False)
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, svgns=True, scale=scale, title="Scan to pay")
    return out.getvalue().decode()
