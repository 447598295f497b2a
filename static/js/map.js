/* Draws every .ek-map: markers from json_script data or from a GeoJSON URL, clustered. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("ek-map-config").textContent);
  var calm = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function popupContent(point) {
    var wrapper = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.name;
    var kind = document.createElement("div");
    kind.textContent = point.city ? point.kind + ", " + point.city : point.kind;
    wrapper.appendChild(link);
    wrapper.appendChild(kind);
    return wrapper;
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
    var markers = points.map(function (point) {
      return L.marker([point.lat, point.lon], { title: point.name, alt: point.name })
        .bindPopup(popupContent(point));
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
      fetch(element.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.json(); })
        .then(function (collection) { showPoints(element, map, fromGeoJSON(collection)); });
    } else {
      var points = JSON.parse(document.getElementById(element.dataset.mapPoints).textContent);
      showPoints(element, map, points);
    }
  }

  document.querySelectorAll(".ek-map").forEach(drawMap);
})();
