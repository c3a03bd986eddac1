"""wsdirect.text_frame writes the frames the websockets library writes for a server."""

from __future__ import annotations

import pytest
from websockets.frames import OP_TEXT, Frame

from flashmart.graphql.wsdirect import text_frame


@pytest.mark.parametrize("size", [0, 1, 125, 126, 200, 65535, 65536, 70000])
def test_text_frames_match_the_librarys(size: int) -> None:
    data = ("é" * size).encode()[:size]
    assert text_frame(data) == Frame(OP_TEXT, data).serialize(mask=False, extensions=[])
