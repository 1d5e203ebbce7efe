"""Control timelines: one row per place, a bar per control assertion coloured by its controller(s).

The data comes from the stored queries `control-periods` and `events-at`; `layout` turns it into
rectangles in day coordinates once, and the SVG/PNG (matplotlib) and HTML (plotly) renderers draw them.
A bar's parts follow docs/time.md: solid where the control is definite on every day (from the latest begin
to the earliest end), hatched and faded where it only may hold (an uncertain begin or end), and an open end
fades out from "presumed" to nothing at the right edge, or where another control of the place certainly
began (after which the sources' silence no longer presumes it).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from pathlib import Path

from menaka_kg.colours import CERTAINTY_ALPHA, actor_colour
from menaka_kg.errors import BadDate, MenakaError, OutputError
from menaka_kg.files import write_output
from menaka_kg.periods import OPEN_END, OPEN_START, parse_period
from menaka_kg.prefixes import PREFIXES

SUFFIXES = (".svg", ".png", ".html")
REPORTED = PREFIXES["mkc"] + "reported"
# the outline of a bar whose source does not simply report the control, by mode
MODE_LINESTYLES = {"claimed": "dashed", "disputed": "dotted", "implied": "dashdot"}
PLOTLY_DASHES = {"dashed": "dash", "dotted": "dot", "dashdot": "dashdot"}
HTML_KEY = ("solid: definite; hatched: begin or end uncertain; fading: end unknown, presumed; "
            "outlined: claimed, disputed or implied; ▼ events (hover for details)")
FADE_STEPS = 32
BAR_HEIGHT = 0.72  # of a lane
EVENT_STRIP = 0.55  # lanes' worth of room above a row's bars for its events
HEADING = 0.8  # a region heading, in lanes
MIN_DAYS = 2  # the narrowest drawn part, so that a one-day fact stays visible on a two-year axis


@dataclass
class Bar:
    """One control assertion at one place: its controllers, bounds, mode and source."""

    assertion: str
    label: str
    controllers: list[tuple[str, str]]  # (IRI, label)
    begin: date | None
    begin_latest: date | None
    end: date | None
    end_latest: date | None
    presumed_until: date | None
    kind: str
    mode: str
    mode_label: str
    claimant: str
    source: str
    document: str
    standing: str = "best"  # over the span drawn (docs/time.md)
    via: str | None = None  # the label of the area's assertion, for control inherited from an area


@dataclass
class Event:
    iri: str
    label: str
    date: date | None
    date_latest: date | None
    kind: str
    place: str


@dataclass
class Row:
    place: str
    label: str
    region: str | None
    bars: list[Bar] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


@dataclass
class Timeline:
    title: str
    rows: list[Row]
    start: date
    end: date  # the last day shown
    by_region: bool  # rows ordered by region, with a heading per region
    sources: list[str]

    def actors(self) -> dict[str, str]:
        """The controllers drawn, IRI to label, in order of first appearance."""
        seen = {}
        for row in self.rows:
            for bar in row.bars:
                for iri, label in bar.controllers:
                    seen.setdefault(iri, label)
        return seen


def local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def check_output(path) -> str:
    """The output's suffix, or an OutputError if it is not one we write."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise OutputError(f"cannot write '{path}': the file name must end in {', '.join(SUFFIXES)}")
    return suffix


# --- the data ------------------------------------------------------------------------------------

def build_timeline(kg, places=(), actor=None, date_from=None, date_to=None) -> Timeline:
    """The rows to draw: the given places (in that order) or every place with control of its own, by region
    and name; each row has a bar per control reading of the place, an area's control that covers it too."""
    period_from = parse_period(date_from).start if date_from else OPEN_START
    period_to = parse_period(date_to).end if date_to else OPEN_END
    if period_from > period_to:
        raise BadDate(f"--from {date_from} is after --to {date_to}")
    actor_found = kg.resolve(actor, "actor") if actor else None
    place_found = list({found.iri: found for found in (kg.resolve(name, "place") for name in places)}.values())
    dates = {key: value for key, value in (("from", date_from), ("to", date_to)) if value}
    actor_param = {"actor": actor_found.iri} if actor_found else {}
    if place_found:
        rows = [Row(found.iri, found.label, None) for found in place_found]
        answers = [kg.query("control-periods", place=found.iri, **actor_param, **dates) for found in place_found]
    else:
        rows, answers = [], [kg.query("control-periods", **actor_param, **dates)]
    by_place = {row.place: row for row in rows}
    bars = {}
    for answer in answers:
        for result in answer:
            row = by_place.get(result["place"])
            if row is None:
                row = by_place[result["place"]] = Row(result["place"], result["placeLabel"], result.get("regionLabel"))
                rows.append(row)
            key = (result["place"], result["assertion"])
            if key in bars:
                bars[key].controllers.append((result["controller"], result["controllerLabel"]))
                continue
            bars[key] = Bar(result["assertion"], result["assertionLabel"] or local_name(result["assertion"]),
                            [(result["controller"], result["controllerLabel"] or local_name(result["controller"]))],
                            result["begin"], result["beginLatest"], result["end"], result["endLatest"],
                            result["presumedUntil"], result["kindLabel"], result["mode"], result["modeLabel"],
                            result["claimantLabel"], result["sourceLabel"],
                            result["documentLabel"] or result["sourceLabel"], result["standing"],
                            result["viaLabel"] if result["via"] else None)
            row.bars.append(bars[key])
    if not bars:
        raise MenakaError("nothing to draw: no control assertion matches"
                          + (f" {', '.join(found.label for found in place_found)}" if place_found else "")
                          + (f" with {actor_found.label}" if actor_found else "")
                          + (f" between {date_from or '..'} and {date_to or '..'}" if dates else ""))
    known = [day for bar in bars.values()
             for day in (bar.begin, bar.begin_latest, bar.end, bar.end_latest) if day]
    start = period_from if period_from != OPEN_START else min(min(known), period_to).replace(day=1)
    a_month_after = max(max(known), start) + timedelta(days=31)
    end = period_to if period_to != OPEN_END else parse_period(f"{a_month_after:%Y-%m}").end
    for row in rows:  # what the axis cuts off entirely (an open end whose presumption ended before it)
        row.bars = [bar for bar in row.bars if parts(bar, start, end)]
    if not place_found:  # every place with control of its own (an area's control is drawn on those rows too)
        rows = [row for row in rows if any(bar.via is None for bar in row.bars)]
    for row in rows:
        for result in kg.query("events-at", place=row.place, **dates):
            first, last = result["date"], result["dateLatest"] or result["date"]
            if first and first <= end and last >= start:
                row.events.append(Event(result["event"], result["eventLabel"], first, result["dateLatest"],
                                        result["typeLabel"], result["placeLabel"]))
    sources = sorted({bar.document for row in rows for bar in row.bars if bar.document})
    return Timeline(_title([found.label for found in place_found], actor_found, start, end), rows, start, end,
                    not place_found, sources)


def _title(places: list[str], actor, start: date, end: date) -> str:
    held = f"{', '.join(places[:-1])} and {places[-1]}" if len(places) > 1 else (places or ["what"])[0]
    by = f": control by or with {actor.label}" if actor else ""
    return f"Who held {held}{by}, {start:%B %Y} – {end:%B %Y}"


# --- the geometry --------------------------------------------------------------------------------

@dataclass
class Rect:
    """A part of a bar: days [x0, x1), lanes [y, y + height); alpha fades from alpha0 to alpha1."""

    x0: date
    x1: date
    y: float
    height: float
    colour: str
    alpha0: float
    alpha1: float
    hatched: bool
    gid: str
    actor: str
    hover: str


@dataclass
class Outline:
    x0: date
    x1: date
    y: float
    height: float
    linestyle: str
    mode: str
    gid: str


@dataclass
class Mark:
    x0: date
    x1: date
    y: float
    gid: str
    hover: str


@dataclass
class Drawing:
    rects: list[Rect]
    outlines: list[Outline]
    marks: list[Mark]
    labels: list[tuple[float, str, str]]  # (centre, place label, gid)
    headings: list[tuple[float, str]]
    bands: list[tuple[float, float]]  # every other row's extent, shaded
    height: float


def parts(bar: Bar, start: date, end: date) -> list[tuple[str, date, date, float, float]]:
    """(name, first day, day after the last, alpha at the start, alpha at the end) of the bar's parts."""
    stop = end + timedelta(days=1)
    possible, presumed = CERTAINTY_ALPHA["possible"], CERTAINTY_ALPHA["presumed"]
    first = bar.begin or start
    if bar.end is not None:
        last = bar.end_latest + timedelta(days=1) if bar.end_latest else stop
        fade_out = 0.0 if bar.end_latest is None else possible
        if bar.begin_latest and bar.begin_latest <= bar.end:
            found = [("uncertain-begin", first, bar.begin_latest, possible, possible),
                     ("definite", bar.begin_latest, bar.end + timedelta(days=1), 1.0, 1.0),
                     ("uncertain-end", bar.end + timedelta(days=1), last, possible, fade_out)]
        else:
            found = [("uncertain", first, last, possible, fade_out)]
    elif bar.begin_latest:
        until = bar.presumed_until + timedelta(days=1) if bar.presumed_until else stop
        found = [("uncertain-begin", first, bar.begin_latest, possible, possible),
                 ("open-end", bar.begin_latest, until, presumed, 0.0)]
    else:
        found = [("open-end", first, stop, possible, 0.0)]
    clipped = [(name, max(x0, start), min(x1, stop), a0, a1) for name, x0, x1, a0, a1 in found]
    clipped = [part for part in clipped if part[2] > part[1]]
    if clipped and (clipped[-1][2] - clipped[0][1]).days < MIN_DAYS:
        name, x0, _, a0, a1 = clipped[-1]
        clipped[-1] = (name, x0, min(clipped[0][1] + timedelta(days=MIN_DAYS), stop), a0, a1)
    return clipped


def _lanes(spans: list[tuple[date, date]]) -> list[int]:
    """First-fit lanes so that overlapping spans never share one."""
    ends, lanes = [], []
    for x0, x1 in spans:
        for lane, lane_end in enumerate(ends):
            if lane_end <= x0:
                ends[lane] = x1
                lanes.append(lane)
                break
        else:
            ends.append(x1)
            lanes.append(len(ends) - 1)
    return lanes


def _hover(bar: Bar, controller: str, part: str) -> str:
    """A bar part's hover text for the HTML; the data's names are escaped, never markup."""
    bounds = (f"begin {bar.begin or '?'} – {bar.begin_latest or '?'}, "
              f"end {bar.end or '?'} – {bar.end_latest or '?'}")
    inherited = [f"inherited: {bar.via}"] if bar.via else []
    return "<br>".join(map(escape, [bar.label, f"{controller} ({bar.kind}, {bar.mode_label}; {part.replace('-', ' ')})",
                                    bounds, f"standing over the span shown: {bar.standing}", *inherited,
                                    f"{bar.claimant}, {bar.source}"]))


def layout(timeline: Timeline) -> Drawing:
    """Every rectangle, outline and event mark, rows top to bottom in lane units."""
    drawing = Drawing([], [], [], [], [], [], 0.0)
    y, region = 0.0, object()
    for index, row in enumerate(timeline.rows):
        if timeline.by_region and row.region != region:
            region = row.region
            drawing.headings.append((y + HEADING * 0.6, region or "Outside any region in the data"))
            y += HEADING
        row_top = y
        if row.events:
            y += EVENT_STRIP
        drawn = [(bar, parts(bar, timeline.start, timeline.end)) for bar in row.bars]
        lanes = _lanes([(found[0][1], found[-1][2]) for _, found in drawn])
        for (bar, found), lane in zip(drawn, lanes):
            top = y + lane + (1 - BAR_HEIGHT) / 2
            share = BAR_HEIGHT / len(bar.controllers)
            for position, (controller, controller_label) in enumerate(bar.controllers):
                gid = f"bar:{local_name(bar.assertion)}:{local_name(controller)}"
                for name, x0, x1, alpha0, alpha1 in found:
                    drawing.rects.append(Rect(x0, x1, top + position * share, share, actor_colour(controller),
                                              alpha0, alpha1, name.startswith("uncertain"),
                                              f"{gid}:{name}", controller_label,
                                              _hover(bar, controller_label, name)))
            if bar.mode != REPORTED:
                mode = local_name(bar.mode)
                drawing.outlines.append(Outline(found[0][1], found[-1][2], top, BAR_HEIGHT,
                                                MODE_LINESTYLES.get(mode, "dashed"), bar.mode_label,
                                                f"outline:{local_name(bar.assertion)}"))
        for event in row.events:
            x0 = max(event.date, timeline.start)
            x1 = max(min(event.date_latest or event.date, timeline.end), x0)
            drawing.marks.append(Mark(x0, x1 + timedelta(days=1), row_top + EVENT_STRIP * 0.55,
                                      f"event:{local_name(event.iri)}",
                                      "<br>".join(map(escape, [event.label, f"{event.kind} at {event.place}",
                                                               _dates(event)]))))
        y += max(lanes, default=0) + 1
        drawing.labels.append(((row_top + y) / 2, row.label, f"row:{local_name(row.place)}"))
        if index % 2 == 0:
            drawing.bands.append((row_top, y))
    drawing.height = y
    return drawing


def _dates(event: Event) -> str:
    uncertain = event.date_latest and event.date_latest != event.date
    return f"{event.date} – {event.date_latest}" if uncertain else f"{event.date}"


def _slices(rect: Rect) -> list[tuple[date, date, float, str]]:
    """(first day, day after, alpha, gid) pieces of a rectangle; a fading one in FADE_STEPS steps."""
    if rect.alpha0 == rect.alpha1:
        return [(rect.x0, rect.x1, rect.alpha0, rect.gid)]
    days = (rect.x1 - rect.x0).days
    steps = max(1, min(FADE_STEPS, days))
    cuts = [rect.x0 + timedelta(days=round(days * k / steps)) for k in range(steps + 1)]
    return [(cuts[k], cuts[k + 1], rect.alpha0 + (rect.alpha1 - rect.alpha0) * (k + 0.5) / steps, f"{rect.gid}:{k}")
            for k in range(steps) if cuts[k + 1] > cuts[k]]


def _footer(timeline: Timeline) -> str:
    return (f"Sources: {'; '.join(timeline.sources)}. Made with menaka-kg from its control assertions; "
            "reading guide: docs/pictures.md.")


def _darker(colour: str) -> tuple:
    """The colour halfway to black: hatch lines that show on the faded colour in SVG (whose pattern takes
    the part's opacity as a whole) as in PNG."""
    return tuple(int(colour[i:i + 2], 16) / 510 for i in (1, 3, 5))


def render_figure(timeline: Timeline, drawing: Drawing, fmt: str) -> bytes:
    """The timeline as SVG or PNG bytes (matplotlib, no pyplot; deterministic SVG)."""
    import io
    import textwrap

    import matplotlib
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.legend_handler import HandlerTuple
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    inch_per_lane, top, bottom = 0.28, 1.0, 1.2
    figure = Figure(figsize=(14, top + bottom + drawing.height * inch_per_lane))
    axes = figure.add_axes((0.18, bottom / figure.get_figheight(), 0.54,
                            drawing.height * inch_per_lane / figure.get_figheight()))
    axes.set_xlim(mdates.date2num(timeline.start), mdates.date2num(timeline.end + timedelta(days=1)))
    axes.set_ylim(drawing.height, 0)
    for y0, y1 in drawing.bands:
        axes.axhspan(y0, y1, color="#f2f2f2", zorder=0, linewidth=0)
    for rect in drawing.rects:
        for x0, x1, alpha, gid in _slices(rect):
            left = mdates.date2num(x0)
            axes.add_patch(Rectangle((left, rect.y), mdates.date2num(x1) - left, rect.height, gid=gid,
                                     facecolor=matplotlib.colors.to_rgba(rect.colour, alpha), linewidth=0,
                                     hatch="////" if rect.hatched else None,
                                     hatchcolor=_darker(rect.colour),
                                     zorder=2))
    for outline in drawing.outlines:
        left = mdates.date2num(outline.x0)
        axes.add_patch(Rectangle((left, outline.y), mdates.date2num(outline.x1) - left, outline.height,
                                 fill=False, edgecolor="#222222", linewidth=1.1, linestyle=outline.linestyle,
                                 gid=outline.gid, zorder=3))
    for mark in drawing.marks:
        x0, x1 = mdates.date2num(mark.x0), mdates.date2num(mark.x1)
        axes.plot([x0, x1], [mark.y, mark.y], color="#222222", linewidth=1.2, solid_capstyle="butt", zorder=4,
                  gid=f"{mark.gid}:dates")
        axes.plot([(x0 + x1) / 2], [mark.y], marker="v", markersize=5, color="#222222", zorder=4, gid=mark.gid)
    label_axis = axes.get_yaxis_transform()
    for centre, label, gid in drawing.labels:
        axes.text(-0.006, centre, "\n".join(textwrap.wrap(label, 30, break_on_hyphens=False)),
                  transform=label_axis, ha="right", va="center", fontsize=9, gid=gid)
    for y, heading in drawing.headings:
        axes.text(-0.006, y, heading, transform=label_axis, ha="right", va="center", fontsize=9.5,
                  fontweight="bold", color="#444444")
        axes.axhline(y + 0.35, color="#999999", linewidth=0.6, zorder=1)
    axes.set_yticks([])
    months = (timeline.end.year - timeline.start.year) * 12 + timeline.end.month - timeline.start.month + 1
    locator = mdates.MonthLocator(bymonth=range(1, 13, max(1, -(-months // 24))))
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_minor_locator(mdates.MonthLocator())
    first_tick = mdates.date2num(timeline.start)

    def month_label(value, _):
        day = mdates.num2date(value)
        return f"{day:%b}\n{day:%Y}" if day.month == 1 or value - first_tick < 31 else f"{day:%b}"

    axes.xaxis.set_major_formatter(month_label)
    axes.tick_params(axis="x", labeltop=True, top=True, which="both", labelsize=8.5)
    axes.grid(axis="x", which="both", color="#dddddd", linewidth=0.6, zorder=1)
    axes.set_axisbelow(True)
    for side in ("left", "right"):
        axes.spines[side].set_visible(False)

    actor_handles = [Patch(facecolor=actor_colour(iri), label=label) for iri, label in timeline.actors().items()]
    grey = "#555555"
    key_handles = [
        Patch(facecolor=grey, label="control definite on every day"),
        Patch(facecolor=matplotlib.colors.to_rgba(grey, CERTAINTY_ALPHA["possible"]), hatch="////",
              hatchcolor=_darker(grey), linewidth=0, label="begin or end uncertain: may hold"),
        tuple(Patch(facecolor=matplotlib.colors.to_rgba(grey, CERTAINTY_ALPHA["presumed"] * share), linewidth=0)
              for share in (1.0, 0.6, 0.3, 0.1)),
        (Patch(facecolor="#777777"), Patch(facecolor="#bbbbbb")),
    ]
    key_labels = [key_handles[0].get_label(), key_handles[1].get_label(), "end unknown: presumed, fading out",
                  "joint control: bar split between controllers"]
    if not any(row_bar.controllers[1:] for row in timeline.rows for row_bar in row.bars):
        key_handles, key_labels = key_handles[:3], key_labels[:3]
    for mode_label, linestyle in sorted({(o.mode, o.linestyle) for o in drawing.outlines}):
        key_handles.append(Patch(fill=False, edgecolor="#222222", linestyle=linestyle, linewidth=1.1))
        key_labels.append(f"mode: {mode_label}")
    if drawing.marks:
        key_handles.append(Line2D([], [], color="#222222", marker="v", markersize=5, linewidth=1.2))
        key_labels.append("event at the place (line: its date is uncertain)")
    legend = axes.legend(actor_handles + key_handles, [h.get_label() for h in actor_handles] + key_labels,
                         loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5, frameon=False,
                         title="Controller", title_fontproperties={"weight": "bold", "size": 9},
                         handler_map={tuple: HandlerTuple(ndivide=None, pad=0)}, alignment="left")
    legend.set_gid("legend")
    figure.suptitle(timeline.title, x=0.02, y=1 - 0.3 / figure.get_figheight(), ha="left", fontsize=13,
                    fontweight="bold")
    figure.text(0.02, 0.25 / figure.get_figheight(), "\n".join(textwrap.wrap(_footer(timeline), 170)),
                fontsize=8, color="#444444", va="bottom", gid="footer")
    out = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "menaka-kg", "svg.fonttype": "none"}):
        figure.savefig(out, format=fmt, dpi=150, metadata={"Date": None} if fmt == "svg" else {"Software": None})
    return out.getvalue()


def render_html(timeline: Timeline, drawing: Drawing) -> str:
    """The timeline as one self-contained HTML page (plotly, its script inlined: works offline)."""
    import plotly.graph_objects as go

    figure = go.Figure()
    for iri, label in timeline.actors().items():  # legend entries: a plain swatch per controller
        figure.add_trace(go.Bar(orientation="h", x=[None], y=[None], name=escape(label), legendgroup=label,
                                marker={"color": actor_colour(iri)}))
    for rect in drawing.rects:
        pieces = _slices(rect)
        figure.add_trace(go.Bar(
            orientation="h", base=[x0.isoformat() for x0, _, _, _ in pieces],
            x=[(x1 - x0).days * 86_400_000 for x0, x1, _, _ in pieces],
            y=[rect.y + rect.height / 2] * len(pieces), width=rect.height,
            marker={"color": rect.colour, "opacity": [alpha for _, _, alpha, _ in pieces], "line": {"width": 0},
                    "pattern": {"shape": "/" if rect.hatched else "", "solidity": 0.3}},
            legendgroup=rect.actor, showlegend=False,
            hovertext=rect.hover, hoverinfo="text", ids=[gid for _, _, _, gid in pieces]))
    for outline in drawing.outlines:
        figure.add_shape(type="rect", x0=outline.x0.isoformat(), x1=outline.x1.isoformat(), y0=outline.y,
                         y1=outline.y + outline.height,
                         line={"color": "#222222", "width": 1.2, "dash": PLOTLY_DASHES[outline.linestyle]})
    for mark in drawing.marks:
        figure.add_shape(type="line", x0=mark.x0.isoformat(), x1=mark.x1.isoformat(), y0=mark.y, y1=mark.y,
                         line={"color": "#222222", "width": 1.5})
    if drawing.marks:
        figure.add_trace(go.Scatter(
            x=[(m.x0 + (m.x1 - m.x0) / 2).isoformat() for m in drawing.marks], y=[m.y for m in drawing.marks],
            mode="markers", marker={"symbol": "triangle-down", "size": 9, "color": "#222222"}, name="events",
            hovertext=[m.hover for m in drawing.marks], hoverinfo="text", ids=[m.gid for m in drawing.marks]))
    ticks = sorted([(centre, escape(label)) for centre, label, _ in drawing.labels]
                   + [(y, f"<b>{escape(heading)}</b>") for y, heading in drawing.headings])
    figure.update_layout(
        title={"text": f"{escape(timeline.title)}<br><sup>{HTML_KEY}</sup>"},
        barmode="overlay", bargap=0, plot_bgcolor="white", height=int(240 + drawing.height * 24),
        xaxis={"type": "date", "range": [timeline.start.isoformat(), (timeline.end + timedelta(days=1)).isoformat()],
               "dtick": "M1", "tickformat": "%b\n%Y", "showgrid": True, "gridcolor": "#dddddd", "side": "top"},
        yaxis={"range": [drawing.height, 0], "tickvals": [t for t, _ in ticks], "ticktext": [t for _, t in ticks],
               "showgrid": False, "zeroline": False},
        legend={"title": {"text": "Controller"}, "traceorder": "normal"},
        margin={"l": 260, "r": 40, "t": 110, "b": 90},
        shapes=[*figure.layout.shapes, *[{"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "y0": y0, "y1": y1,
                                          "fillcolor": "#f2f2f2", "line": {"width": 0}, "layer": "below"}
                                         for y0, y1 in drawing.bands]],
        annotations=[{"text": escape(_footer(timeline)), "xref": "paper", "yref": "paper", "x": 0, "y": 0,
                      "yshift": -60, "showarrow": False, "xanchor": "left", "font": {"size": 11, "color": "#444444"}}])
    return figure.to_html(include_plotlyjs=True, full_html=True, div_id="menaka-kg-timeline",
                          config={"displaylogo": False})


def write_timeline(timeline: Timeline, path) -> None:
    """Draw the timeline into `path` (.svg, .png or .html), atomically."""
    suffix = check_output(path)
    drawing = layout(timeline)
    content = render_html(timeline, drawing) if suffix == ".html" else render_figure(timeline, drawing, suffix[1:])
    write_output(path, content)
