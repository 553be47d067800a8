// Draws the national page's map of trusts from the JSON the server embeds, with plotly.js's geo bundle.
// Loaded on /national/ only. Like charts.js, it costs nothing on a first view: the bundle (and the outline of the
// land it draws on) is fetched once the reader first moves, scrolls, touches or types and the map comes near the
// window, or at once with the "Draw the map" button. Everything comes from this site: the outline is read here
// and handed to plotly, so plotly never looks for it on its CDN.
(function () {
  "use strict";

  var TRIGGERS = ["pointermove", "pointerdown", "touchstart", "keydown", "wheel", "scroll", "focusin"];
  var NARROW = 640; // px: below this, dragging scrolls the page instead of panning the map
  var LEGEND_PX = 70; // the key under the map, on two lines on a phone
  var container = document.querySelector("[data-map]");
  if (!container) {
    return;
  }
  var geo = null; // the geo bundle's Plotly, kept from the moment it ran (charts.js keeps the basic one)
  var drawing = null; // a promise, once drawing has started
  var sitesShown = false;
  var sitesAdded = null; // a promise, once the sites have been asked for
  var sitesBox = document.querySelector("[data-map-sites]");
  var initialCentre = {};

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.addEventListener("load", function () {
        resolve(window.Plotly); // the load event follows the script's run with nothing in between
      });
      script.addEventListener("error", reject);
      document.head.appendChild(script);
    });
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + " answered " + response.status);
      }
      return response.json();
    });
  }

  // The drawing is one image named by the page; plotly's other layers (hover labels) are decoration.
  function describe() {
    container.querySelectorAll("svg.main-svg").forEach(function (layer, index) {
      if (index === 0) {
        layer.setAttribute("role", "img");
        layer.setAttribute("aria-label", container.dataset.imageLabel || "Map");
        layer.removeAttribute("aria-hidden");
      } else {
        layer.setAttribute("aria-hidden", "true");
      }
    });
  }

  function draw() {
    if (drawing) {
      return drawing;
    }
    var figure = JSON.parse(document.getElementById(container.dataset.map).textContent);
    initialCentre = Object.assign({}, figure.layout.geo.center);
    drawing = Promise.all([getJSON(container.dataset.outline), loadScript(container.dataset.geo)]).then(
      function (loaded) {
        geo = loaded[1];
        window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };
        window.PlotlyGeoAssets.topojson[container.dataset.outlineName] = loaded[0];
        figure.layout.dragmode = container.clientWidth < NARROW ? false : "pan";
        // England is taller than wide: on a narrow screen a shorter map wastes no space (as national.css sizes it).
        figure.layout.height = Math.min(figure.layout.height, Math.round(container.clientWidth * 1.2) + LEGEND_PX);
        container.style.minHeight = figure.layout.height + "px";
        var config = {
          responsive: true,
          displayModeBar: false,
          showTips: false,
          scrollZoom: false,
          topojsonURL: container.dataset.outlineDir, // never asked: the outline is registered above
        };
        container.replaceChildren(); // the waiting note gives way to the map
        return geo.newPlot(container, figure.data, figure.layout, config);
      }
    );
    return drawing.then(function () {
      describe();
      container.on("plotly_afterplot", describe);
      // A marker links to its trust's (or site's) page.
      container.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (point && point.customdata) {
          window.location.assign(point.customdata);
        }
      });
      container.dataset.drawn = "true";
      if (sitesShown) {
        showSites(true);
      }
    });
  }

  // Hospitals and sites: fetched the first time they are asked for, then shown or hidden.
  function siteTraces() {
    return container.data
      .map(function (trace, index) {
        return trace.showlegend === false ? index : -1;
      })
      .filter(function (index) {
        return index >= 0;
      });
  }

  function showSites(shown) {
    sitesShown = shown;
    if (!container.dataset.drawn) {
      return shown ? draw() : null;
    }
    if (!sitesAdded) {
      if (!shown) {
        return null;
      }
      sitesAdded = getJSON(container.dataset.sites).then(function (sites) {
        return geo.addTraces(container, sites.data);
      });
      return sitesAdded.then(function () {
        return showSites(sitesShown); // the box may have been unticked while they loaded
      });
    }
    return sitesAdded.then(function () {
      container.dataset.sitesShown = String(sitesShown);
      return geo.restyle(container, { visible: sitesShown }, siteTraces());
    });
  }

  // Zoom buttons under the map, in the page's tab order; scale 1 fits England, as the figure frames it.
  function zoom(action) {
    if (!container.dataset.drawn) {
      return;
    }
    var scale = container.layout.geo.projection.scale || 1;
    if (action === "reset") {
      var centre = initialCentre;
      geo.relayout(container, { "geo.projection.scale": 1, "geo.center.lon": centre.lon, "geo.center.lat": centre.lat });
      return;
    }
    geo.relayout(container, { "geo.projection.scale": action === "in" ? scale * 1.5 : Math.max(1, scale / 1.5) });
  }

  function drawWhenNear() {
    if (!("IntersectionObserver" in window)) {
      draw();
      return;
    }
    var observer = new IntersectionObserver(
      function (entries) {
        if (
          entries.some(function (entry) {
            return entry.isIntersecting;
          })
        ) {
          observer.disconnect();
          draw();
        }
      },
      { rootMargin: "400px 0px" }
    );
    observer.observe(container);
  }

  var started = false;
  function start() {
    if (started) {
      return;
    }
    started = true;
    TRIGGERS.forEach(function (name) {
      window.removeEventListener(name, start, true);
    });
    drawWhenNear();
  }
  TRIGGERS.forEach(function (name) {
    window.addEventListener(name, start, { capture: true, passive: true });
  });

  container.addEventListener("click", function (event) {
    if (event.target.closest("[data-map-draw]")) {
      draw();
    }
  });
  if (sitesBox) {
    sitesBox.checked = false; // a page restored from the history shows the trusts only
    sitesBox.addEventListener("change", function () {
      showSites(sitesBox.checked);
    });
  }
  document.querySelectorAll("[data-map-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      zoom(button.dataset.mapZoom);
    });
  });
})();
