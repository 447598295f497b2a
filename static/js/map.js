/* Draws every .ek-map element from the marker data handed over with json_script. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("ek-map-config").textContent);

  function popupContent(point) {
    var wrapper = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.name;
    var kind = document.createElement("div");
    kind.textContent = point.kind;
    wrapper.appendChild(link);
    wrapper.appendChild(kind);
    return wrapper;
  }

  function drawMap(element) {
    var points = JSON.parse(document.getElementById(element.dataset.mapPoints).textContent);
    var map = L.map(element, { scrollWheelZoom: false }).setView(config.center, config.zoom);
    L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
    var markers = points.map(function (point) {
      return L.marker([point.lat, point.lon], { title: point.name, alt: point.name })
        .bindPopup(popupContent(point));
    });
    if (markers.length) {
      var cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
      cluster.addLayers(markers);
      map.addLayer(cluster);
      element.markerLayer = cluster;
      map.fitBounds(cluster.getBounds(), { padding: [24, 24], maxZoom: 14, animate: false });
    }
    element.mapInstance = map;
  }

  document.querySelectorAll(".ek-map").forEach(drawMap);
})();
