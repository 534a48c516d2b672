"""Pure plotly figure builders: plain data (NumPy arrays, lists, dicts) in, a Figure out.

No model ever enters here: anything that computes (decision grids, confusion counts, activations)
is done beside the models and passed in. Every builder uses one theme, so every page speaks one
visual language: orange for positive / class 1, blue for negative / class 0. Titles and axis labels
are parameters, so a page passes them already translated. The home page alone draws with the
small SVG builders in `svg` (see why there).
"""

from dlcore.figures.charts import boundary, confusion, curves, decimate, image_grid
from dlcore.figures.theme import CLASS_COLORS, NEGATIVE, POSITIVE, themed

__all__ = ["CLASS_COLORS", "NEGATIVE", "POSITIVE", "boundary", "confusion", "curves", "decimate",
           "image_grid", "themed"]
