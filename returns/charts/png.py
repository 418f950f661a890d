"""A chart's SVG as a PNG: cairosvg draws it, Pillow writes the file with quick compression.

cairo's own PNG writer compresses with zlib's default effort, which took three quarters of the time of a print-size
chart (2,250 × 3,188 px: drawn in 0.08 s, written in 0.5 s). The national annex's DOCX carries three of them, so
Pillow (already installed: cairosvg needs it) writes them instead at zlib level 1: two to three times faster, for
a file about a third larger (a few hundred KiB in a DOCX of the whole annex). The pixels are cairo's, unchanged.
"""

import sys

from cairosvg.surface import PNGSurface
from PIL import Image

# The fastest zlib effort: charts are large areas of flat colour, which compress well at any level.
COMPRESS_LEVEL = 1


class QuickPNGSurface(PNGSurface):
    """cairosvg's PNG surface, whose file Pillow writes."""

    def finish(self):
        if self.output is not None and sys.byteorder == "little":
            surface = self.cairo
            surface.flush()
            # cairo's ARGB32 is a native-endian word, premultiplied: on a little-endian machine, bytes B, G, R, a.
            image = Image.frombuffer(
                "RGBA",
                (surface.get_width(), surface.get_height()),
                surface.get_data(),
                "raw",
                "BGRa",
                surface.get_stride(),
                1,
            )
            image.save(self.output, "PNG", compress_level=COMPRESS_LEVEL)
            self.cairo.finish()
            return None
        return super().finish()


def svg_to_png(svg, *, dpi, scale):
    """The PNG's bytes, as cairosvg.svg2png(bytestring=svg, dpi=dpi, scale=scale) draws it."""
    return QuickPNGSurface.convert(bytestring=svg, dpi=dpi, scale=scale)
