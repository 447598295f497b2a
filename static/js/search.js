/* Search page: a changed filter applies at once, so the URL (and the back button) always hold
   the state the list and the map show. Without JavaScript the "apply" buttons do the same. */
(function () {
  "use strict";
  var form = document.getElementById("zoekformulier");
  if (!form) return;
  form.querySelectorAll(".ek-search__filters input, .ek-search__filters select").forEach(function (field) {
    field.addEventListener("change", function () {
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
  });
})();
