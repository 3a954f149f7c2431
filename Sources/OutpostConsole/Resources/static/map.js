// Outpost console: zoom and pan of the map page's server-drawn SVG (/map). Zoomed out, the map
// shows one marker per region; zoomed in, each branch. Zooming changes the SVG's viewBox and
// the classes zoomed-in / zoomed-out; branch markers keep their size on screen. The zoom
// survives the live refresh of the page (console.js swaps <main> and says "outpost:refreshed").
// Keys, while the map has the focus: + and − zoom, 0 shows the whole country, arrows move
// (when zoomed in; zoomed out they scroll the page as usual).
"use strict";
(function () {
  const levels = [1, 2, 4, 8];
  const view = { level: 0, x: null, y: null };

  function map() { return document.getElementById("branch-map"); }

  function apply() {
    const svg = map();
    if (!svg) return;
    const width = Number(svg.dataset.width), height = Number(svg.dataset.height);
    const zoom = levels[view.level];
    const w = width / zoom, h = height / zoom;
    if (view.x === null) { view.x = width / 2; view.y = height / 2; }
    view.x = Math.min(Math.max(view.x, w / 2), width - w / 2);
    view.y = Math.min(Math.max(view.y, h / 2), height - h / 2);
    svg.setAttribute("viewBox", [view.x - w / 2, view.y - h / 2, w, h].map((n) => n.toFixed(1)).join(" "));
    svg.classList.toggle("zoomed-in", zoom > 1);
    svg.classList.toggle("zoomed-out", zoom === 1);
    const scale = (1.4 / zoom).toFixed(4);
    for (const marker of svg.querySelectorAll(".branches [data-x]")) {
      marker.setAttribute("transform", "translate(" + marker.dataset.x + " " + marker.dataset.y + ") scale(" + scale + ")");
    }
    const status = document.getElementById("map-zoom-level");
    if (status) status.textContent = zoom === 1 ? "Regions" : "Branches, zoom ×" + zoom;
  }

  function zoomBy(step, x, y) {
    const next = Math.min(Math.max(view.level + step, 0), levels.length - 1);
    if (x !== undefined) { view.x = x; view.y = y; }
    if (next === 0) { view.x = null; }
    view.level = next;
    apply();
  }

  function pan(dx, dy) {
    const svg = map();
    if (!svg || view.level === 0) return;
    const zoom = levels[view.level];
    view.x += dx * Number(svg.dataset.width) / zoom / 4;
    view.y += dy * Number(svg.dataset.height) / zoom / 4;
    apply();
  }

  function zoomToCluster(cluster) {
    zoomBy(2 - view.level, Number(cluster.dataset.x), Number(cluster.dataset.y));
    map().focus();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-map-zoom]");
    if (button) {
      const action = button.dataset.mapZoom;
      if (action === "in") zoomBy(1);
      else if (action === "out") zoomBy(-1);
      else zoomBy(-view.level);
      return;
    }
    const cluster = event.target.closest("[data-cluster]");
    if (cluster) zoomToCluster(cluster);
  });

  document.addEventListener("keydown", (event) => {
    const svg = map();
    if (!svg || !svg.contains(document.activeElement) || event.altKey || event.ctrlKey || event.metaKey) return;
    const cluster = event.target.closest && event.target.closest("[data-cluster]");
    const keys = {
      "+": () => zoomBy(1), "=": () => zoomBy(1), "-": () => zoomBy(-1), "0": () => zoomBy(-view.level),
      "ArrowLeft": () => pan(-1, 0), "ArrowRight": () => pan(1, 0), "ArrowUp": () => pan(0, -1), "ArrowDown": () => pan(0, 1),
    };
    if (cluster && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      zoomToCluster(cluster);
    } else if (keys[event.key] && !(event.key.startsWith("Arrow") && view.level === 0)) {
      event.preventDefault();
      keys[event.key]();
    }
  });

  document.addEventListener("outpost:refreshed", apply);
  document.addEventListener("DOMContentLoaded", apply);
})();
