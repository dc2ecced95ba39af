"""Figures drawn as SVG on the server with pygal: the same picture in the page and in the PDF
summary, no script, nothing fetched from elsewhere (pygal's own script is turned off; a
bar's value is in its tooltip <title> and in the table beside the chart)."""

from __future__ import annotations

from .figures import Figure

GREEN = ("#1f6f43", "#72b990", "#c98a12", "#3f9667", "#a8d5b8")


def _style():
    from pygal.style import Style

    return Style(
        background="white",
        plot_background="white",
        foreground="#1d2521",
        foreground_strong="#1d2521",
        foreground_subtle="#d8e0db",
        colors=GREEN,
        font_family="Noto Sans, sans-serif",
        label_font_size=13,
        major_label_font_size=13,
        value_font_size=12,
        legend_font_size=13,
        title_font_size=15,
    )


def _integer_axis(highest: int) -> list[int]:
    """Whole-number ticks for counts (pygal would draw 0.2, 0.4… for small ones)."""
    step = max(1, -(-highest // 6))
    return list(range(0, highest + step, step))


CACHE_SECONDS = 24 * 3600


def svg(figure: Figure, *, width: int = 640, height: int = 320) -> str | None:
    """The figure as an inline SVG element, or None for a figure shown as a table only.

    Drawing costs ~20 ms a chart; a chart is kept in the cache under a digest of everything
    it is drawn from (its kind, title, headings, rows and size), so new figures draw anew
    and nothing needs invalidating."""
    import hashlib
    import json

    from django.core.cache import cache

    content = [figure.key, figure.chart, figure.title, figure.columns, figure.rows, width, height]
    digest = hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()
    key = f"ocop:chart:{digest}"
    drawn = cache.get(key)
    if drawn is None:
        drawn = _draw(figure, width=width, height=height) or ""
        cache.set(key, drawn, CACHE_SECONDS)
    return drawn or None


def _draw(figure: Figure, *, width: int, height: int) -> str | None:
    import pygal

    if figure.chart == "table" or not figure.rows:
        return None
    options = {
        "style": _style(),
        "js": [],
        "disable_xml_declaration": True,
        "width": width,
        "height": height,
        "show_legend": figure.chart == "stacked",
        "legend_at_bottom": True,
        "print_values": figure.chart in ("funnel", "hbar"),
        "margin": 12,
        "truncate_label": 40,
    }
    labels = [str(r[0]) for r in figure.rows]
    highest = max((r[-1] for r in figure.rows), default=0)
    if not highest:
        return None  # nothing to draw: the table of zeros says it
    options["y_labels"] = _integer_axis(highest)
    if figure.chart == "stacked":
        chart = pygal.StackedBar(**options)
        chart.x_labels = labels
        for i, name in enumerate(figure.columns[1:-1], start=1):
            chart.add(name, [r[i] for r in figure.rows])
    else:
        kind = pygal.HorizontalBar if figure.chart in ("hbar", "funnel") else pygal.Bar
        chart = kind(**options)
        values = [r[-1] for r in figure.rows]
        if figure.chart in ("hbar", "funnel"):
            labels, values = labels[::-1], values[::-1]  # the first row on top
            chart.height = max(height // 2, 34 * len(values) + 60)
        chart.x_labels = labels
        chart.add(figure.columns[-1], values)
    return chart.render(is_unicode=True)
