"""The home page's picture: AI ⊃ ML ⊃ DL as nested discs you can hover or select."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from dlcore.figures.theme import themed

RING_COLORS = ("#dbe9f6", "#9ecae1", "#f59322")


def nested_sets(names: Sequence[str], hovers: Sequence[str], selected: int | None = None,
                height: int = 380) -> go.Figure:
    """Discs nested like AI ⊃ ML ⊃ DL (outermost first); hovering a disc shows its text."""
    fig = go.Figure()
    angle = np.linspace(0, 2 * np.pi, 120)
    for i, (name, hover) in enumerate(zip(names, hovers)):
        r = 1.0 - 0.3 * i
        cy = -(1.0 - r)  # discs rest on a common bottom point, so each sits inside the last
        line = {"color": "#333", "width": 4 if i == selected else 1}
        fig.add_trace(go.Scatter(x=r * np.cos(angle), y=cy + r * np.sin(angle), fill="toself", mode="lines",
                                 fillcolor=RING_COLORS[i % 3], line=line, name=name, hoveron="fills",
                                 text=hover, hoverinfo="text", opacity=1.0 if selected in (None, i) else 0.55))
        fig.add_annotation(x=0, y=cy + r - 0.17, text=f"<b>{name}</b>", showarrow=False, font={"size": 16})
    fig.update_xaxes(visible=False, range=[-1.1, 1.1])
    fig.update_yaxes(visible=False, range=[-1.1, 1.1], scaleanchor="x")
    fig.update_layout(showlegend=False, hoverlabel={"align": "left"})
    return themed(fig, height=height)
