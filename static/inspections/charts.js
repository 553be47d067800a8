// Draws every chart on the page from the JSON that the server embeds with json_script.
// One static script, no inline code, so the Content-Security-Policy can forbid inline scripts.
// The page arrives with each chart drawn in HTML and CSS. plotly.js (hover, zoom) is fetched when the
// reader first moves, scrolls, touches or types, and then draws each chart as it comes near the window:
// a first view costs no chart library at all, and charts far down the page cost nothing until read.
(function () {
  "use strict";

  var PLOTLY_SRC = document.currentScript && document.currentScript.dataset.plotly;
  // The library this script loaded, kept from the moment it ran: another bundle on the page (the map's, on
  // /national/) may replace the global Plotly after it.
  var plotly = null;
  var TRIGGERS = ["pointermove", "pointerdown", "touchstart", "keydown", "wheel", "scroll", "focusin"];

  var NARROW = 640; // px: below this, dragging scrolls the page instead of zooming the chart

  // The drawing is one image named by the page; plotly's other layers (hover labels) are decoration.
  function describe(container) {
    container.querySelectorAll("svg.main-svg").forEach(function (layer, index) {
      if (index === 0) {
        layer.setAttribute("role", "img");
        layer.setAttribute("aria-label", container.dataset.imageLabel || "Chart");
        layer.removeAttribute("aria-hidden");
      } else {
        layer.setAttribute("aria-hidden", "true");
      }
    });
  }

  function plotlyDate(ms) {
    return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
  }

  // Milliseconds of a date as plotly writes one ("2015-01-01" or "2015-01-01 00:00:00"), read as UTC.
  function toMs(value) {
    var text = String(value);
    return Date.parse(text.length > 10 ? text.replace(" ", "T") + "Z" : text);
  }

  var YEAR_MS = 365.25 * 864e5;
  var YEAR_LABEL_PX = 29; // a year's label ("2015" is about 25px at 11px) and a little room beside it

  // Every few years' labels, each in the middle of its year, with a grid line where every year begins: how
  // chart_drawing.py labels a long window, so a chart reads the same whatever its span or width.
  function everyFewYears(axis, from, to, step) {
    axis.tickmode = "array";
    axis.tickvals = [];
    axis.ticktext = [];
    for (var year = from; year <= to; year += step) {
      axis.tickvals.push(year + "-07-02");
      axis.ticktext.push(String(year));
    }
    axis.ticklabelmode = "instant";
    axis.showgrid = false;
    axis.minor = { tickmode: "linear", tick0: from + "-01-01", dtick: "M12", showgrid: true, gridcolor: axis.gridcolor, ticks: "" };
  }

  // The figure labels each year in the middle of its year (chart_drawing.py): where the chart is too narrow for a
  // label a year, a label every few years instead, still mid-year, with every year's grid line kept.
  function fitYearLabels(axis, width) {
    var start = toMs(axis.range[0]);
    var perYear = width / ((toMs(axis.range[1]) - start) / YEAR_MS);
    axis.tickfont = { size: perYear < 40 ? 11 : 12 };
    if (perYear >= YEAR_LABEL_PX || axis.ticklabelmode !== "period") {
      return;
    }
    var from = new Date(start).getUTCFullYear();
    var to = new Date(toMs(axis.range[1])).getUTCFullYear();
    everyFewYears(axis, from, to, Math.ceil(YEAR_LABEL_PX / perYear));
  }

  // The axis settings that label the years first shown, to put back when the reader resets the zoom (null: the
  // default, for one the figure does not set).
  var YEAR_TICK_KEYS = ["tickmode", "tick0", "dtick", "ticklabelmode", "tickvals", "ticktext", "showgrid", "minor"];
  var ZOOMED_TICKS = { tickmode: "auto", ticklabelmode: "instant", showgrid: true, minor: { showgrid: false } };

  function yearTicksOf(axis) {
    var ticks = {};
    YEAR_TICK_KEYS.forEach(function (key) {
      ticks[key] = axis[key] === undefined ? null : axis[key];
    });
    if (ticks.minor === null) {
      ticks.minor = { showgrid: false };
    }
    return ticks;
  }

  // Zoom buttons under the chart, in the page's tab order: the zoom a mouse gets by dragging across the dates.
  // A button pressed before plotly has drawn the chart is kept, and done once it has (see draw).
  function wireTools(container) {
    var tools = document.querySelector('[data-tools="' + container.id + '"]');
    if (!tools) {
      return;
    }
    tools.addEventListener("click", function (event) {
      var action = event.target.dataset && event.target.dataset.zoom;
      if (!action) {
        return;
      }
      if (container.dataset.drawn === "true") {
        zoom(container, action);
      } else {
        (container.pendingZoom = container.pendingZoom || []).push(action);
        if (startPlotly) {
          startPlotly(); // a keyboard press may come before any other sign of the reader
        }
      }
    });
  }

  function zoom(container, action) {
    var range = container.layout.xaxis.range.map(toMs);
    var middle = (range[0] + range[1]) / 2;
    var half = (range[1] - range[0]) / 2;
    var next = container.initialRange.slice();
    if (action !== "reset") {
      half = action === "in" ? half / 2 : half * 2;
      next = [plotlyDate(middle - half), plotlyDate(middle + half)];
    }
    return plotly.relayout(container, { "xaxis.range": next });
  }

  // Zoomed in or out, plotly picks the dates to label (months, say); back at the years first shown, a label a year.
  // Each band is cut to the dates in view, so its word sits in the part the reader sees, never half off the edge.
  function relabel(container, change) {
    if (!("xaxis.range" in change || "xaxis.range[0]" in change || "xaxis.autorange" in change)) {
      return;
    }
    var range = container.layout.xaxis.range.map(toMs);
    var first = container.initialRange.map(toMs);
    var atStart = Math.abs(range[0] - first[0]) < 864e5 && Math.abs(range[1] - first[1]) < 864e5;
    var ticks = atStart ? container.yearTicks : ZOOMED_TICKS;
    var update = {};
    Object.keys(ticks).forEach(function (key) {
      if (JSON.stringify(container.layout.xaxis[key]) !== JSON.stringify(ticks[key])) {
        update["xaxis." + key] = ticks[key];
      }
    });
    var relabelled = Object.keys(update).length ? plotly.relayout(container, update) : Promise.resolve();
    return relabelled.then(function () {
      return clipBands(container, range);
    });
  }

  // The bands (bar traces: a start date and a length in ms) cut to the dates in view, from the figure's own.
  function clipBands(container, range) {
    var indices = [];
    var bases = [];
    var lengths = [];
    container.bands.forEach(function (band, index) {
      if (!band) {
        return;
      }
      var base = [];
      var length = [];
      band.base.forEach(function (start, j) {
        var from = Math.max(toMs(start), range[0]);
        var to = Math.min(toMs(start) + band.x[j], range[1]);
        base.push(plotlyDate(to > from ? from : range[0])); // a band out of view: none drawn, so no word either
        length.push(to > from ? to - from : 0);
      });
      indices.push(index);
      bases.push(base);
      lengths.push(length);
    });
    // plotly forgets an axis's type (and so its range) when its data is restyled, unless the same call says them again.
    var dates = { "xaxis.type": "date", "xaxis.range": container.layout.xaxis.range.slice() };
    return indices.length ? plotly.update(container, { base: bases, x: lengths }, dates, indices) : Promise.resolve();
  }

  function draw(container) {
    var dataElement = document.getElementById(container.dataset.chart);
    if (!dataElement || !plotly || container.dataset.drawn || container.drawing) {
      return;
    }
    container.drawing = true;
    var figure = JSON.parse(dataElement.textContent);
    var axis = figure.layout.xaxis;
    container.initialRange = axis.range.slice();
    fitYearLabels(axis, container.clientWidth - figure.layout.margin.l - figure.layout.margin.r);
    container.yearTicks = yearTicksOf(axis);
    container.bands = figure.data.map(function (trace) {
      return trace.type === "bar" && trace.base ? { base: trace.base.slice(), x: trace.x.slice() } : null;
    });
    figure.layout.dragmode = container.clientWidth < NARROW ? false : "zoom";
    // No plotly toolbar: it covered the plot and its titles on a phone. Zoom by dragging across the dates
    // (not on a phone, where dragging scrolls the page) or with the buttons under the chart.
    var config = { responsive: true, displayModeBar: false, showTips: false };
    container.replaceChildren(); // the HTML drawing gives way to plotly's
    plotly.newPlot(container, figure.data, figure.layout, config).then(function () {
      describe(container);
      container.on("plotly_afterplot", function () {
        describe(container);
      });
      container.on("plotly_relayout", function (change) {
        relabel(container, change);
      });
      // A marker or band links to the inspection that set the rating.
      container.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (point && point.customdata) {
          window.location.assign(point.customdata);
        }
      });
      return zoomAsPressed(container);
    }).then(function () {
      container.dataset.drawn = "true";
    });
  }

  // The zoom buttons pressed before the chart was drawn, in order, one after the other.
  function zoomAsPressed(container) {
    var action = (container.pendingZoom || []).shift();
    if (!action) {
      return Promise.resolve();
    }
    return zoom(container, action).then(function () {
      return zoomAsPressed(container);
    });
  }

  function drawWhenNear(charts) {
    if (!("IntersectionObserver" in window)) {
      charts.forEach(draw);
      return;
    }
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            draw(entry.target);
          }
        });
      },
      { rootMargin: "400px 0px" }
    );
    charts.forEach(function (chart) {
      observer.observe(chart);
    });
  }

  function loadPlotly(charts) {
    var script = document.createElement("script");
    script.src = PLOTLY_SRC;
    script.addEventListener("load", function () {
      plotly = window.Plotly; // the load event follows the script's run with nothing in between
      drawWhenNear(charts);
    });
    document.head.appendChild(script);
  }

  // In the HTML drawing, a band too short for its word shows none (as plotly's drawing does), rather
  // than a word cut off mid-letter; the hover, summary and table still carry it.
  // All widths are read first, then the classes written, so the page is laid out once, not once a band.
  function quietShortBands() {
    var bands = Array.prototype.slice.call(document.querySelectorAll(".preview .band"));
    bands.forEach(function (band) {
      band.classList.remove("band--unlabelled");
    });
    var tooShort = bands.filter(function (band) {
      return band.scrollWidth > band.clientWidth + 1;
    });
    tooShort.forEach(function (band) {
      band.classList.add("band--unlabelled");
    });
  }

  var startPlotly = null; // fetches plotly.js once, on the reader's first sign of life (drawAll)

  function drawAll() {
    var charts = document.querySelectorAll("[data-chart]");
    if (!charts.length || !PLOTLY_SRC) {
      return;
    }
    quietShortBands();
    window.addEventListener("resize", quietShortBands, { passive: true }); // a phone turned on its side
    var started = false;
    startPlotly = function () {
      if (started) {
        return;
      }
      started = true;
      TRIGGERS.forEach(function (name) {
        window.removeEventListener(name, startPlotly, true);
      });
      loadPlotly(charts);
    };
    TRIGGERS.forEach(function (name) {
      window.addEventListener(name, startPlotly, { capture: true, passive: true });
    });
    Array.prototype.forEach.call(charts, wireTools);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
