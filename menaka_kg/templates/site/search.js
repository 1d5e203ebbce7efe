/* The search box of every page of `menaka-kg site`: MiniSearch (assets/minisearch.js) over every name of
   every place, actor and event (assets/search-index.js, loaded when the box is first used), ignoring case
   and accents; Enter opens the first hit. */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  if (!input || !list) { return; }
  var index = null;
  var waiting = null;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function build() {
    index = new MiniSearch({
      fields: ["t", "n"],
      storeFields: ["t", "k", "c", "p"],
      processTerm: fold,
      searchOptions: { prefix: true, fuzzy: 0.2, boost: { t: 2 } }
    });
    index.addAll(window.MENAKA_SEARCH || []);
  }

  function ready(then) {
    if (index) { then(); return; }
    if (waiting) { waiting.push(then); return; }
    waiting = [then];
    var script = document.createElement("script");
    script.src = root + "assets/search-index.js";
    script.onload = function () {
      build();
      waiting.forEach(function (callback) { callback(); });
    };
    document.head.appendChild(script);
  }

  function show() {
    var query = input.value.trim();
    list.textContent = "";
    if (!query) { list.hidden = true; return; }
    var hits = index.search(query).slice(0, 12);
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + hit.p;
      link.textContent = hit.t;
      var note = document.createElement("small");
      note.textContent = " " + hit.k + (hit.c ? " · " + hit.c : "");
      link.appendChild(note);
      item.appendChild(link);
      list.appendChild(item);
    });
    if (!hits.length) {
      var none = document.createElement("li");
      none.textContent = "Nothing found";
      list.appendChild(none);
    }
    list.hidden = false;
  }

  input.addEventListener("focus", function () { ready(function () {}); });
  input.addEventListener("input", function () { ready(show); });
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    ready(function () {
      show();
      var first = list.querySelector("a");
      if (first) { window.location.href = first.href; }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { list.hidden = true; }
  });
}());
