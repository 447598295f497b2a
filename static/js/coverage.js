/* The coverage choropleth: municipality boundaries coloured by the number of organisations
   offering what was asked; gaps in a distinct colour; a tooltip and a link to the table row. */
(function () {
  "use strict";
  var element = document.getElementById("dekkingskaart");
  var data = document.getElementById("ek-coverage-data");
  if (!element || !data || !window.L) { return; }
  var config = JSON.parse(document.getElementById("ek-map-config").textContent);
  var collection = JSON.parse(data.textContent);
  var map = L.map(element, { scrollWheelZoom: false }).setView(config.center, config.zoom);
  L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  function label(p) {
    if (p.count > 0) { return p.name + ": " + p.count + " " + element.dataset.countLabel; }
    var text = p.name + ": " + element.dataset.gapLabel;
    if (p.nearest_km !== null) { text += " (" + element.dataset.nearestLabel + " " + p.nearest_km + " km)"; }
    return text;
  }
  var layer = L.geoJSON(collection, {
    style: function (feature) {
      var gap = feature.properties.count === 0;
      return { color: gap ? "#7f3b08" : "#ffffff", weight: gap ? 2 : 1, dashArray: gap ? "4 3" : null,
               fillColor: feature.properties.colour, fillOpacity: 0.8 };
    },
    onEachFeature: function (feature, shape) {
      shape.bindTooltip(label(feature.properties), { sticky: true });
      shape.on("click", function () { window.location.hash = feature.properties.anchor.slice(1); });
    }
  }).addTo(map);
  if (collection.features.length) { map.fitBounds(layer.getBounds(), { padding: [12, 12] }); }
  element.dataset.featureCount = String(collection.features.length);
  element.dataset.markerCount = element.dataset.featureCount; // what the axe fixture waits for
})();
