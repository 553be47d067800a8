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

  // Zoom buttons under the chart, in the page's tab order: the zoom a mouse gets by dragging across the dates.
  function wireTools(container, initialRange) {
    var tools = document.querySelector('[data-tools="' + container.id + '"]');
    if (!tools) {
      return;
    }
    tools.addEventListener("click", function (event) {
      var action = event.target.dataset && event.target.dataset.zoom;
      if (!action || !container.layout) {
        return; // not drawn yet
      }
      var range = container.layout.xaxis.range.map(function (value) {
        return new Date(value).getTime();
      });
      var middle = (range[0] + range[1]) / 2;
      var half = (range[1] - range[0]) / 2;
      var next = initialRange.slice();
      if (action !== "reset") {
        half = action === "in" ? half / 2 : half * 2;
        next = [plotlyDate(middle - half), plotlyDate(middle + half)];
      }
      plotly.relayout(container, { "xaxis.range": next });
    });
  }

  function draw(container) {
    var dataElement = document.getElementById(container.dataset.chart);
    if (!dataElement || !plotly || container.dataset.drawn) {
      return;
    }
    var figure = JSON.parse(dataElement.textContent);
    var initialRange = figure.layout.xaxis.range.slice();
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
      container.dataset.drawn = "true";
    });
    wireTools(container, initialRange);
    // A marker or band links to the inspection that set the rating.
    container.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      if (point && point.customdata) {
        window.location.assign(point.customdata);
      }
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

  function drawAll() {
    var charts = document.querySelectorAll("[data-chart]");
    if (!charts.length || !PLOTLY_SRC) {
      return;
    }
    quietShortBands();
    window.addEventListener("resize", quietShortBands, { passive: true }); // a phone turned on its side
    var started = false;
    function start() {
      if (started) {
        return;
      }
      started = true;
      TRIGGERS.forEach(function (name) {
        window.removeEventListener(name, start, true);
      });
      loadPlotly(charts);
    }
    TRIGGERS.forEach(function (name) {
      window.addEventListener(name, start, { capture: true, passive: true });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
