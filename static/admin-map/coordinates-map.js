/* Admin: a Leaflet map that reads and writes a location's latitude/longitude inputs. */
(function () {
  "use strict";

  function initMap(element) {
    if (element.dataset.ready || element.closest(".empty-form")) return;
    element.dataset.ready = "1";
    var config = JSON.parse(element.dataset.mapJson);
    var latInput = document.getElementById(element.dataset.latitudeInput);
    var lonInput = document.getElementById(latInput.id.replace(/latitude$/, "longitude"));
    var map = L.map(element).setView([config.lat, config.lon], config.zoom || 8);
    L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
    var marker = null;

    function place(lat, lon, pan) {
      if (!marker) {
        marker = L.marker([lat, lon], { draggable: true, title: "Vestiging" }).addTo(map);
        marker.on("dragend", function () {
          var position = marker.getLatLng();
          write(position.lat, position.lng);
        });
      } else {
        marker.setLatLng([lat, lon]);
      }
      if (pan) map.setView([lat, lon], 14, { animate: false });
    }

    // Placed by hand: the position no longer comes from the address or the postcode.
    var sourceInput = document.getElementById(latInput.id.replace(/latitude$/, "position_source"));
    function placedByHand() {
      if (sourceInput) sourceInput.value = "";
    }

    function write(lat, lon) {
      latInput.value = lat.toFixed(6);
      lonInput.value = lon.toFixed(6);
      placedByHand();
    }

    function readInputs() {
      var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
      if (!isNaN(lat) && !isNaN(lon)) place(lat, lon, true);
    }

    map.on("click", function (event) {
      place(event.latlng.lat, event.latlng.lng, false);
      write(event.latlng.lat, event.latlng.lng);
    });
    function typed() {
      placedByHand();
      readInputs();
    }
    latInput.addEventListener("change", typed);
    if (lonInput) lonInput.addEventListener("change", typed);
    readInputs();
  }

  function initAll() {
    document.querySelectorAll(".ek-coordinates-map").forEach(initMap);
  }

  document.addEventListener("DOMContentLoaded", initAll);
  document.addEventListener("formset:added", initAll);
})();
