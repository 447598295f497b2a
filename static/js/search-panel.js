/* Search page: a changed filter fetches the body the server renders for that question (the
   same cached body as the page, from /zoeken/resultaten/), swaps in the results and the map's
   data, and pushes the URL, so the scroll position stays and the back button restores the
   previous question. The filter button says how many results the ticked filters give.
   Without JavaScript the form submits as it always did. */
(function () {
  "use strict";
  var form = document.getElementById("zoekformulier");
  if (!form || !window.fetch || !window.DOMParser) { return; }
  var pending = null;
  var filters = function () { return form.querySelector(".ek-search__filters"); };
  if (window.matchMedia("(max-width: 59.99rem)").matches && filters()) {
    filters().open = false;  // on a phone the results come first; the chips show the filters
  }

  function queryOf() {  // empty fields left out, as the server's links do
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) { if (value !== "") { params.append(name, value); } });
    return params.toString();
  }

  function labelButton() {
    var button = form.querySelector(".ek-search__show");
    var results = document.querySelector(".ek-search__results");
    if (button && results) { button.textContent = results.dataset.showLabel; }
  }

  function swapResults(fresh) {  // the heading stays, so its aria-live announces the new count
    var results = document.querySelector(".ek-search__results");
    var heading = results.querySelector("h2"), newHeading = fresh.querySelector("h2");
    heading.textContent = newHeading.textContent;
    results.dataset.showLabel = fresh.dataset.showLabel;
    Array.from(results.children).forEach(function (child) { if (child !== heading) { child.remove(); } });
    Array.from(fresh.children).forEach(function (child) { if (child !== newHeading) { results.appendChild(child); } });
  }

  function show(query, wholeForm) {
    shown = query ? "?" + query : "";
    if (pending) { pending.abort(); }
    pending = new AbortController();
    var url = form.dataset.fragmentUrl + (query ? "?" + query : "");
    return fetch(url, { signal: pending.signal }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var newForm = page.getElementById("zoekformulier");
      if (wholeForm) {  // back or a chip: every field as that question had it
        var open = filters() && filters().open;
        form.innerHTML = newForm.innerHTML;
        if (filters()) { filters().open = open; }
      } else {
        var summary = form.querySelector(".ek-error-summary"), newSummary = newForm.querySelector(".ek-error-summary");
        if (summary) { summary.remove(); }
        if (newSummary) { form.prepend(newSummary); }
      }
      swapResults(page.querySelector(".ek-search__results"));
      var map = document.getElementById("zoekkaart"), newMap = page.getElementById("zoekkaart");
      if (map && map.showGeoJSON && newMap) { map.showGeoJSON(newMap.dataset.geojsonUrl); }
      labelButton();
    }).catch(function (error) {  // offline or a server error: the ordinary page load instead
      if (error.name !== "AbortError") { window.location.href = form.action + (query ? "?" + query : ""); }
    });
  }

  function go(query, wholeForm) {
    var url = form.action + (query ? "?" + query : "");
    if (url !== window.location.href) { window.history.pushState(null, "", url); }
    return show(query, wholeForm);
  }

  form.addEventListener("change", function (event) {
    if (event.target.closest(".ek-search__filters")) { go(queryOf(), false); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var fromPanel = event.submitter && event.submitter.classList.contains("ek-search__show");
    go(queryOf(), false).then(function () {
      if (!fromPanel) { return; }
      filters().open = false;  // "Toon N resultaten": close the panel and go to the results
      document.getElementById("resultaten-titel").focus();
    });
  });
  // A chip or a page number: the same question with one thing changed.
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".ek-search__results .ek-chips a, .ek-search__results .ek-pagination a");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var target = new URL(link.href);
    if (target.pathname !== new URL(form.action).pathname) { return; }
    event.preventDefault();
    var nextPage = link.closest(".ek-pagination");
    go(target.search.slice(1), true).then(function () {
      if (nextPage) { document.getElementById("resultaten-titel").focus(); }
    });
  });
  // Back and forward; not the list/map switch's own jumps, which keep the question.
  var shown = window.location.search;
  window.addEventListener("popstate", function () {
    if (window.location.search !== shown) { show(window.location.search.slice(1), true); }
  });
  labelButton();
})();
