"""One look for every figure: colours for sign and class, fonts that carry Chinese, tight margins."""

from __future__ import annotations

import plotly.graph_objects as go

POSITIVE = "#f59322"  # orange: positive weights, class 1 (as in TensorFlow Playground)
NEGATIVE = "#0877bd"  # blue: negative weights, class 0
NEUTRAL = "#e8eaeb"
CLASS_COLORS = [NEGATIVE, POSITIVE, "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                "#bcbd22", "#17becf", "#393b79", "#637939"]
CURVE_COLORS = {"train": NEGATIVE, "训练": NEGATIVE, "test": POSITIVE, "测试": POSITIVE}  # by series name
DIVERGING = [[0.0, NEGATIVE], [0.5, "#ffffff"], [1.0, POSITIVE]]  # class-0 … undecided … class-1
FONT = "Inter, 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', sans-serif"


def themed(fig: go.Figure, title: str = "", height: int = 360) -> go.Figure:
    """Apply the shared layout to a figure and return it (cheap: live pages call it several times a second)."""
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 15}} if title else None,
        height=height, font={"family": FONT, "size": 13},  # no template: naming one costs ~20 ms a figure,
        # and Streamlit draws charts in its own theme anyway
        margin={"l": 50, "r": 20, "t": 45 if title else 20, "b": 45},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
    )
    return fig
