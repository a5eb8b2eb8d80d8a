"""What the screen shows, read from Textual's own screenshot: the text of each terminal row."""

from __future__ import annotations

import html
import re
from typing import Any

from textual.app import App

# Each run of text of one style: where it starts and how wide it is drawn.
_SPAN = re.compile(
    r'<text[^>]*?\bx="([\d.]+)" y="([\d.]+)" textLength="([\d.]+)"[^>]*>(.*?)</text>', re.S
)


def svg_lines(svg: str) -> list[str]:
    """Each row of a Textual SVG screenshot as the characters shown on it, top to bottom.

    Textual leaves the blanks between runs out of the SVG and places each run by its x, so the
    row is rebuilt column by column from the width one character is drawn with.
    """
    spans = [
        (float(x), float(y), float(length), html.unescape(text).replace("\xa0", " "))
        for x, y, length, text in _SPAN.findall(svg)
    ]
    widths = sorted(length / len(text) for _x, _y, length, text in spans if text)
    cell = widths[len(widths) // 2] if widths else 1.0
    rows: dict[float, str] = {}
    for x, y, _length, text in spans:
        row = rows.get(y, "")
        column = round(x / cell)
        rows[y] = row.ljust(column)[:column] + text + row[column + len(text) :]
    return [rows[y].rstrip() for y in sorted(rows)]


def screen_lines(app: App[Any]) -> list[str]:
    return svg_lines(app.export_screenshot())


def screen_text(app: App[Any]) -> str:
    """The whole screen, one line per row."""
    return "\n".join(screen_lines(app))
