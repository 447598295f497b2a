/* Draws every .ek-map: markers from json_script data or from a GeoJSON URL, clustered. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("ek-map-config").textContent);
  var calm = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var embedded = document.body.classList.contains("ek-embedded");

  function line(parent, tag, text, className) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (className) { element.className = className; }
    parent.appendChild(element);
    return element;
  }

  // Phone and availability in the popup; labels come translated from the page (data-label-*).
  // A place counts as available only until its status grows stale (availableUntil, seconds).
  function popupContent(point, labels) {
    var wrapper = document.createElement("div");
    var link = line(wrapper, "a", point.name);
    link.href = point.url;
    if (embedded) {  // netwerk/views/embedding.py: an embedded page's links stay embedded
      var url = new URL(point.url, window.location.href);
      url.searchParams.set("embed", "1");
      link.href = url.pathname + url.search;
    }
    line(wrapper, "div", point.city ? point.kind + ", " + point.city : point.kind);
    if (point.availableUntil && Date.now() < point.availableUntil * 1000 && labels.available) {
      line(wrapper, "div", labels.available, "ek-popup__available");
    }
    if (point.phone && labels.call) {
      var call = line(wrapper, "a", labels.call + " " + point.phoneText, "ek-popup__call");
      call.href = "tel:" + point.phone;
    }
    return wrapper;
  }

  function markerFor(point) {
    var options = { title: point.name, alt: point.name };
    if (point.marker) {
      options.icon = L.divIcon({
        className: "ek-marker ek-marker--" + point.marker,
        html: "<span></span>", iconSize: [22, 22], iconAnchor: [11, 11], popupAnchor: [0, -10]
      });
    }
    return L.marker([point.lat, point.lon], options);
  }

  function fromGeoJSON(collection) {
    return collection.features.map(function (feature) {
      var point = Object.assign({}, feature.properties);
      point.lon = feature.geometry.coordinates[0];
      point.lat = feature.geometry.coordinates[1];
      return point;
    });
  }

  function showPoints(element, map, points) {
    var labels = { available: element.dataset.labelAvailable, call: element.dataset.labelCall };
    var markers = points.map(function (point) {
      return markerFor(point).bindPopup(popupContent(point, labels));
    });
    var cluster = L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false, animate: !calm
    });
    cluster.addLayers(markers);
    map.addLayer(cluster);
    if (markers.length) {
      map.fitBounds(cluster.getBounds(), { padding: [24, 24], maxZoom: 14, animate: false });
    }
    element.markerLayer = cluster;
    element.dataset.markerCount = String(markers.length);
  }

  function drawMap(element) {
    var map = L.map(element, {
      scrollWheelZoom: false, fadeAnimation: !calm, zoomAnimation: !calm, markerZoomAnimation: !calm
    }).setView(config.center, config.zoom);
    L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
    element.mapInstance = map;
    if (element.dataset.geojsonUrl) {
      // search-panel.js calls this with the URL of a new result; only the latest one is drawn.
      element.showGeoJSON = function (url) {
        element.dataset.geojsonUrl = url;
        fetch(url, { headers: { Accept: "application/geo+json" } })
          .then(function (response) { return response.json(); })
          .then(function (collection) {
            if (element.dataset.geojsonUrl !== url) { return; }
            if (element.markerLayer) { map.removeLayer(element.markerLayer); }
            showPoints(element, map, fromGeoJSON(collection));
            element.dataset.shownUrl = url;
          });
      };
      element.showGeoJSON(element.dataset.geojsonUrl);
    } else {
      var points = JSON.parse(document.getElementById(element.dataset.mapPoints).textContent);
      showPoints(element, map, points);
    }
  }

  document.querySelectorAll(".ek-map").forEach(drawMap);
})();
