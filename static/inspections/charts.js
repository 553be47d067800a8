// Draws every chart on the page from the JSON that the server embeds with json_script.
// One static script, no inline code, so the Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";

  // Plotly's toolbar in our text colours (its default grey icons fail the 3:1 contrast rule), always shown:
  // a toolbar that appears only on mouse hover cannot be found by touch or keyboard users.
  var MODEBAR = { bgcolor: "rgba(255, 255, 255, 0.9)", color: "#4a4a4a", activecolor: "#1b1b1b" };

  // The drawing is one image named by the page; plotly's other layers (hover labels) are decoration,
  // and its toolbar stays a named toolbar of buttons that keyboard users can reach.
  function describe(container) {
    var layers = container.querySelectorAll("svg.main-svg");
    layers.forEach(function (layer, index) {
      if (index === 0) {
        layer.setAttribute("role", "img");
        layer.setAttribute("aria-label", container.dataset.imageLabel || "Chart");
        layer.removeAttribute("aria-hidden");
      } else {
        layer.setAttribute("aria-hidden", "true");
      }
    });
    var toolbar = container.querySelector(".modebar");
    if (toolbar) {
      toolbar.setAttribute("aria-label", "Chart tools");
      toolbar.querySelectorAll("svg").forEach(function (icon) {
        icon.setAttribute("aria-hidden", "true");
      });
    }
  }

  function draw(container) {
    var dataElement = document.getElementById(container.dataset.chart);
    if (!dataElement || typeof Plotly === "undefined") {
      return;
    }
    var figure = JSON.parse(dataElement.textContent);
    figure.layout.modebar = Object.assign({}, MODEBAR, figure.layout.modebar);
    var config = {
      responsive: true,
      displaylogo: false,
      displayModeBar: true,
      // "Share chart" would upload the data to Plotly's cloud: no requests leave this site.
      showSendToCloud: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    };
    Plotly.newPlot(container, figure.data, figure.layout, config).then(function () {
      describe(container);
      container.on("plotly_afterplot", function () {
        describe(container);
      });
      container.dataset.drawn = "true";
    });
    // A marker links to the inspection that set the rating.
    container.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      if (point && point.customdata) {
        window.location.assign(point.customdata);
      }
    });
  }

  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
