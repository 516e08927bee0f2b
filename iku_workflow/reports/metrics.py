"""How wide a line of text prints, estimated without the font: enough to size a column so that a
line (the signatory's name with its titles) does not wrap.

The advance widths are URW Bookman Demi's (the metric-compatible stand-in for Bookman Old Style
Bold that LibreOffice uses), in thousandths of an em, for ASCII 32–126. Bookman is among the
widest text faces, so for Times New Roman, Arial or Cambria the estimate errs on the wide side,
which is the safe side for "keep this on one line". Other characters count as a wide capital.
"""

from __future__ import annotations

from docx.shared import Pt

_FIRST = 32
_WIDTHS = (
    340, 360, 420, 660, 660, 940, 800, 320, 320, 320, 460, 600, 340, 360, 340, 600,
    660, 660, 660, 660, 660, 660, 660, 660, 660, 660, 340, 340, 600, 600, 600, 660,
    820, 720, 720, 740, 780, 720, 680, 780, 820, 400, 640, 800, 640, 940, 740, 800,
    660, 800, 780, 660, 700, 740, 720, 940, 780, 700, 640, 300, 600, 300, 600, 500,
    320, 580, 600, 580, 640, 580, 380, 580, 680, 360, 340, 660, 340, 1000, 680, 620,
    640, 620, 460, 520, 460, 660, 600, 800, 600, 620, 560, 320, 600, 320, 600,
)
_OTHER = 820


def line_width(text: str, size_pt: float) -> int:
    """The printed width of ``text`` on one line at ``size_pt`` points, in EMU (bold Bookman)."""
    units = 0
    for char in text:
        code = ord(char) - _FIRST
        units += _WIDTHS[code] if 0 <= code < len(_WIDTHS) else _OTHER
    return int(Pt(size_pt) * units / 1000)
