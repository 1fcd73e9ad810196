"""Renders a terminal capture (`tmux capture-pane -p -e`: text with SGR colour escapes) to a
PNG, so that the README's Neovim screenshot is made headlessly and can be regenerated.

Usage: python ansi_to_png.py CAPTURE.ansi OUT.png [--cols N] [--rows N]
Needs Pillow and the DejaVu Sans Mono font (Debian: fonts-dejavu-core).
"""

import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
FONT_SIZE = 16
DEFAULT_FG = (0xE0, 0xE2, 0xEA)
DEFAULT_BG = (0x14, 0x16, 0x1B)

# The 16 base colours, close to Neovim 0.11's default dark scheme so that the capture looks
# the way it does in a real terminal.
BASE16 = [
    (0x07, 0x08, 0x0D), (0xFF, 0xC0, 0xB9), (0xB3, 0xF6, 0xC0), (0xFC, 0xE0, 0x94),
    (0xA6, 0xDB, 0xFF), (0xFF, 0xCA, 0xFF), (0x8C, 0xF8, 0xF7), (0xE0, 0xE2, 0xEA),
    (0x4F, 0x52, 0x58), (0xFF, 0xC0, 0xB9), (0xB3, 0xF6, 0xC0), (0xFC, 0xE0, 0x94),
    (0xA6, 0xDB, 0xFF), (0xFF, 0xCA, 0xFF), (0x8C, 0xF8, 0xF7), (0xEE, 0xF1, 0xF8),
]


def xterm256(n):
    """The RGB value of xterm colour `n`."""
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    level = 8 + (n - 232) * 10
    return (level, level, level)


class Cell:
    __slots__ = ("ch", "fg", "bg", "bold", "italic", "underline", "wide")

    def __init__(self, ch, fg, bg, bold, italic, underline, wide=False):
        self.ch, self.fg, self.bg = ch, fg, bg
        self.bold, self.italic, self.underline, self.wide = bold, italic, underline, wide


def parse(text, cols):
    """Turns the capture into rows of cells, applying SGR attributes."""
    rows = []
    fg, bg, bold, italic, underline, reverse = None, None, False, False, False, False
    for line in text.split("\n"):
        row = []
        i = 0
        while i < len(line):
            m = re.match(r"\x1b\[([0-9;:]*)m", line[i:])
            if m:
                params = [int(p) if p else 0 for p in re.split(r"[;:]", m.group(1) or "0")]
                j = 0
                while j < len(params):
                    p = params[j]
                    if p == 0:
                        fg, bg, bold, italic, underline, reverse = None, None, False, False, False, False
                    elif p == 1:
                        bold = True
                    elif p == 3:
                        italic = True
                    elif p in (4, 21):
                        underline = True
                    elif p == 7:
                        reverse = True
                    elif p == 22:
                        bold = False
                    elif p == 23:
                        italic = False
                    elif p == 24:
                        underline = False
                    elif p == 27:
                        reverse = False
                    elif 30 <= p <= 37:
                        fg = BASE16[p - 30]
                    elif 90 <= p <= 97:
                        fg = BASE16[p - 90 + 8]
                    elif 40 <= p <= 47:
                        bg = BASE16[p - 40]
                    elif 100 <= p <= 107:
                        bg = BASE16[p - 100 + 8]
                    elif p == 39:
                        fg = None
                    elif p == 49:
                        bg = None
                    elif p in (38, 48) and j + 1 < len(params):
                        if params[j + 1] == 5 and j + 2 < len(params):
                            colour = xterm256(params[j + 2])
                            j += 2
                        elif params[j + 1] == 2 and j + 4 < len(params):
                            colour = tuple(params[j + 2 : j + 5])
                            j += 4
                        else:
                            colour = None
                        if p == 38:
                            fg = colour
                        else:
                            bg = colour
                    j += 1
                i += m.end()
                continue
            if line[i] == "\x1b":
                # Other escapes (cursor movement, OSC) carry nothing a still image needs.
                m = re.match(r"\x1b(\[[0-9;?]*[A-Za-z]|\][^\x07]*\x07|.)", line[i:])
                i += m.end() if m else 1
                continue
            ch = line[i]
            f, b = fg or DEFAULT_FG, bg or DEFAULT_BG
            if reverse:
                f, b = b, f
            wide = unicodedata.east_asian_width(ch) in ("W", "F")
            row.append(Cell(ch, f, b, bold, italic, underline))
            if wide:
                row.append(Cell("", f, b, bold, italic, underline, wide=True))
            i += 1
        rows.append(row[:cols])
    return rows


def render(rows, cols, nrows, out):
    fonts = {
        (False, False): ImageFont.truetype(FONT_DIR + "DejaVuSansMono.ttf", FONT_SIZE),
        (True, False): ImageFont.truetype(FONT_DIR + "DejaVuSansMono-Bold.ttf", FONT_SIZE),
        (False, True): ImageFont.truetype(FONT_DIR + "DejaVuSansMono-Oblique.ttf", FONT_SIZE),
        (True, True): ImageFont.truetype(FONT_DIR + "DejaVuSansMono-BoldOblique.ttf", FONT_SIZE),
    }
    regular = fonts[(False, False)]
    cw = round(regular.getlength("M"))
    ascent, descent = regular.getmetrics()
    ch_h = ascent + descent + 2
    pad = 12
    img = Image.new("RGB", (cols * cw + 2 * pad, nrows * ch_h + 2 * pad), DEFAULT_BG)
    draw = ImageDraw.Draw(img)
    for y, row in enumerate(rows[:nrows]):
        for x, cell in enumerate(row):
            x0, y0 = pad + x * cw, pad + y * ch_h
            draw.rectangle([x0, y0, x0 + cw - 1, y0 + ch_h - 1], fill=cell.bg)
            if cell.ch and cell.ch != " ":
                draw.text((x0, y0 + 1), cell.ch, font=fonts[(cell.bold, cell.italic)], fill=cell.fg)
            if cell.underline:
                draw.line([x0, y0 + ch_h - 2, x0 + cw - 1, y0 + ch_h - 2], fill=cell.fg)
    img.save(out, optimize=True)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    cols = int(argv[argv.index("--cols") + 1]) if "--cols" in argv else 100
    nrows = int(argv[argv.index("--rows") + 1]) if "--rows" in argv else 30
    with open(argv[1], encoding="utf-8", errors="replace") as f:
        rows = parse(f.read(), cols)
    render(rows, cols, nrows, argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
