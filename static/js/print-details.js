/* On paper every folded <details> shows its content (the closed lines of "Wie bel ik nu?", the
   weekly hours behind "Openingstijden en controle"): opened just before printing, and closed
   again afterwards, so the reader's screen stays as it was. Forms are not printed; their panels
   stay as they are. print.css also shows the content where the browser supports
   ::details-content, for a print started before this script ran. */
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      if (details.closest("form")) { return; }
      details.open = true;
      opened.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });
})();
