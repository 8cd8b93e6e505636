"""Draw a chart (analysis/charts.py gives its numbers) with matplotlib, as SVG or PNG.

matplotlib is an optional extra (`pip install htreport[charts]`), imported here only."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from htreport.errors import UsageError

if TYPE_CHECKING:
    from htreport.analysis.charts import ChartData

#: One colour per status or flag, readable in grey too.
COLOURS = {
    "ongoing": "#4c78a8",
    "in_progress": "#f2b701",
    "completed": "#54a24b",
    "on_hold": "#e45756",
    "not_started": "#b279a2",
    "cancelled": "#9d755d",
    "unknown": "#bab0ac",
    "stalled": "#e45756",
    "long_running": "#f58518",
    "new_this_year": "#4c78a8",
    "completed_this_year": "#54a24b",
    "dropped": "#9d755d",
}


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise UsageError("charts need matplotlib: pip install 'htreport[charts]'") from None
    return plt


def draw(data: ChartData, fmt: str) -> bytes:
    """The chart as `fmt` (svg or png) bytes: horizontal stacked bars, legend, title, caption."""
    plt = _pyplot()
    plt.rcParams["svg.hashsalt"] = "htreport"  # the same chart gives the same SVG
    height = max(3.0, 0.45 * len(data.categories) + 2.0)
    figure, axes = plt.subplots(figsize=(9, height))
    left = [0] * len(data.categories)
    positions = list(range(len(data.categories)))
    for name, values in data.series.items():
        if not any(values):
            continue
        axes.barh(
            positions,
            values,
            left=left,
            label=name.replace("_", " "),
            color=COLOURS.get(name, None),
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(positions, labels=data.labels)
    axes.invert_yaxis()
    axes.set_xlabel(data.value_label)
    axes.set_title(data.title)
    axes.legend(loc="lower right", fontsize="small")
    figure.text(0.01, 0.01, data.caption, fontsize="small", color="#555555")
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    figure.savefig(buffer, format=fmt, metadata=metadata)
    plt.close(figure)
    return buffer.getvalue()
