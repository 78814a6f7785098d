"""Render a terminal capture with ANSI colours (``tmux capture-pane -e -p``) to a PNG.

Used by screenshot.sh for the picture in docs/editors.md; needs Pillow (not a project
dependency): ``python ansi_to_png.py capture.txt out.png``.
"""

from __future__ import annotations

import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SIZE = 15
BG = (24, 24, 30)
FG = (220, 220, 220)
BASIC = [
    (0, 0, 0),
    (205, 49, 49),
    (13, 188, 121),
    (229, 229, 16),
    (36, 114, 200),
    (188, 63, 188),
    (17, 168, 205),
    (229, 229, 229),
    (102, 102, 102),
    (241, 76, 76),
    (35, 209, 139),
    (245, 245, 67),
    (59, 142, 234),
    (214, 112, 214),
    (41, 184, 219),
    (255, 255, 255),
]
SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def xterm256(n: int) -> tuple[int, int, int]:
    if n < 16:
        return BASIC[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return steps[n // 36], steps[(n // 6) % 6], steps[n % 6]
    level = 8 + (n - 232) * 10
    return level, level, level


def apply(params: list[int], state: dict[str, object]) -> None:
    i = 0
    if not params:
        params = [0]
    while i < len(params):
        p = params[i]
        if p == 0:
            state.update(fg=FG, bg=None, bold=False, reverse=False, underline=False)
        elif p == 1:
            state["bold"] = True
        elif p in (4, 21):
            state["underline"] = True
        elif p == 7:
            state["reverse"] = True
        elif p == 22:
            state["bold"] = False
        elif p == 24:
            state["underline"] = False
        elif p == 27:
            state["reverse"] = False
        elif 30 <= p <= 37:
            state["fg"] = BASIC[p - 30]
        elif 90 <= p <= 97:
            state["fg"] = BASIC[p - 90 + 8]
        elif 40 <= p <= 47:
            state["bg"] = BASIC[p - 40]
        elif 100 <= p <= 107:
            state["bg"] = BASIC[p - 100 + 8]
        elif p == 39:
            state["fg"] = FG
        elif p == 49:
            state["bg"] = None
        elif p in (38, 48) and i + 1 < len(params):
            key = "fg" if p == 38 else "bg"
            if params[i + 1] == 5 and i + 2 < len(params):
                state[key] = xterm256(params[i + 2])
                i += 2
            elif params[i + 1] == 2 and i + 4 < len(params):
                state[key] = tuple(params[i + 2 : i + 5])
                i += 4
        i += 1


def main(source: str, target: str) -> None:
    with open(source, encoding="utf-8") as handle:
        lines = handle.read().rstrip("\n").split("\n")
    font = ImageFont.truetype(FONT, SIZE)
    bold = ImageFont.truetype(BOLD, SIZE)
    cell_w = round(font.getlength("M"))
    cell_h = SIZE + 5
    cols = max(len(SGR.sub("", line)) for line in lines)
    image = Image.new("RGB", (cols * cell_w + 16, len(lines) * cell_h + 16), BG)
    draw = ImageDraw.Draw(image)
    state: dict[str, object] = dict(fg=FG, bg=None, bold=False, reverse=False, underline=False)
    for row, line in enumerate(lines):
        col = 0
        pos = 0
        for match in [*SGR.finditer(line), None]:
            end = match.start() if match else len(line)
            for char in line[pos:end]:
                width = 2 if unicodedata.east_asian_width(char) in "WF" else 1
                fg, bg = state["fg"], state["bg"]
                if state["reverse"]:
                    fg, bg = (bg or BG), fg
                x, y = 8 + col * cell_w, 8 + row * cell_h
                if bg is not None:
                    draw.rectangle([x, y, x + width * cell_w - 1, y + cell_h - 1], fill=bg)
                draw.text((x, y + 2), char, font=bold if state["bold"] else font, fill=fg)
                if state["underline"]:
                    draw.line([x, y + cell_h - 2, x + width * cell_w, y + cell_h - 2], fill=fg)
                col += width
            if match:
                apply([int(p) for p in re.split("[;:]", match.group(1)) if p], state)
                pos = match.end()
    image.save(target)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
