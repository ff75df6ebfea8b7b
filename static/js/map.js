/* Maps and "near me" for the activity pages. Everything else works without this file. */
(function () {
  "use strict";

  function nearField() {
    return document.querySelector('input[name="near"]');
  }

  function searchNear(lat, lng) {
    var field = nearField();
    if (!field) return;
    field.value = lat.toFixed(5) + "," + lng.toFixed(5);
    field.form.submit();
  }

  var button = document.querySelector("[data-near-me]");
  if (button && navigator.geolocation) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var status = document.querySelector("[data-near-status]");
      if (status) status.textContent = "いまいる場所を調べています…";
      navigator.geolocation.getCurrentPosition(
        function (position) { searchNear(position.coords.latitude, position.coords.longitude); },
        function () { if (status) status.textContent = "場所がわかりませんでした。地図をタップして場所を選ぶこともできます。"; },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
      );
    });
  }

  var element = document.getElementById("map");
  if (!element || typeof L === "undefined") return;
  // Leaflet would guess its marker images' folder from its stylesheet, whose file name carries a
  // content hash here, and then ask the page's own folder. They sit beside this file's folder.
  // No shadow: Leaflet has it only at low resolution, blurred on phones.
  var images = (document.currentScript || {}).src || "";
  images = images.replace(/js\/[^\/]*$/, "leaflet/images/");
  var pin = L.icon({
    iconUrl: images + "marker-icon.png", iconRetinaUrl: images + "marker-icon-2x.png",
    iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], tooltipAnchor: [16, -28]
  });
  var data = document.getElementById(element.dataset.markers);
  var markers = data ? JSON.parse(data.textContent) : [];
  if (!Array.isArray(markers)) markers = [markers];
  markers = markers.filter(function (m) { return m && m.lat !== null; });

  var map = L.map(element, { scrollWheelZoom: false });
  L.tileLayer(element.dataset.tileUrl, {
    maxZoom: 18,
    attribution: '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>'
  }).addTo(map);
  var bounds = [];
  markers.forEach(function (m) {
    // Markers are for the eye and the finger; the list on the page holds the same links for
    // keyboards and screen readers, so the markers (close together in a town) take no focus.
    var marker = L.marker([m.lat, m.lng], { icon: pin, title: m.name, alt: m.name, keyboard: false }).addTo(map);
    var link = document.createElement("a");
    link.href = m.url;
    link.textContent = m.name;
    marker.bindPopup(link);
    bounds.push([m.lat, m.lng]);
  });
  if (element.dataset.near) {
    // The searched point and the circle searched around it.
    var here = element.dataset.near.split(",").map(Number);
    var radius = Number(element.dataset.radius || 2) * 1000;
    L.circle(here, { radius: radius, weight: 2, color: "#0031d8", fillOpacity: 0.05 }).addTo(map);
    L.circleMarker(here, { radius: 9, weight: 3, color: "#fff", fillColor: "#d50000", fillOpacity: 1 })
      .addTo(map).bindTooltip("さがした場所", { permanent: false });
    bounds.push(here);
  }
  // A marker's pin stands 41 px above its point: room above for the northernmost one.
  if (bounds.length > 1) map.fitBounds(bounds, { paddingTopLeft: [24, 48], paddingBottomRight: [24, 16] });
  else if (bounds.length === 1) map.setView(bounds[0], 16);
  if (element.dataset.pick) {
    map.on("click", function (event) { searchNear(event.latlng.lat, event.latlng.lng); });
  }
})();
