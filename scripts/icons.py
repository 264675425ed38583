#!/usr/bin/env python3
"""Draws mend's app icons (static/icon-192.png, static/icon-512.png) from the shapes of
static/icon.svg: a white arc over a dot on the green ground, full-bleed so that a launcher's
mask (a circle, a squircle) never cuts the mark, which stays inside the middle 60 %. Run it
again when the mark changes; the PNGs are committed. Standard library only."""
import math, struct, sys, zlib

GREEN, WHITE = (0x2F, 0x5D, 0x50), (0xFF, 0xFF, 0xFF)


def coverage(x, y):
    """How white the point (in the 32-unit box of icon.svg, the mark scaled to the safe zone) is."""
    # the arc: a half circle of radius 7 around (16, 17), 3 units wide, round ends
    d = math.hypot(x - 16, y - 17)
    if y <= 17 and abs(d - 7) <= 1.5:
        return 1
    for ex in (9, 23):
        if math.hypot(x - ex, y - 17) <= 1.5:
            return 1
    return 1 if math.hypot(x - 16, y - 21) <= 2.5 else 0


def png(size):
    ss = 4  # samples a side per pixel
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            hit = 0
            for sy in range(ss):
                for sx in range(ss):
                    # the mark (17 units wide, from x 7.5 to 24.5) spans 60 % of the icon, centred
                    u = ((px + (sx + 0.5) / ss) / size - 0.5) * 17 / 0.6 + 16
                    v = ((py + (sy + 0.5) / ss) / size - 0.5) * 17 / 0.6 + 17.25
                    hit += coverage(u, v)
            a = hit / (ss * ss)
            row += bytes(round(g + (w - g) * a) for g, w in zip(GREEN, WHITE))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", raw) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "static"
    for n in (192, 512):
        with open("%s/icon-%d.png" % (out, n), "wb") as f:
            f.write(png(n))
