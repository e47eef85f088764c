/* cablegram web edition — the site's own script: the view and layer switches of a document page
   (keyboard-operable buttons with aria-pressed), paragraph alignment of the parallel view, sorting and
   filtering of the index table, and pagefind's search UI. Everything works from file:// except search. */
(function () {
  "use strict";

  function remember(key, value) {
    try { if (value === undefined) { return window.localStorage.getItem(key); } window.localStorage.setItem(key, value); }
    catch (e) { return null; }
    return null;
  }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function press(buttons, attr, value) {
    each(buttons, function (b) { b.setAttribute("aria-pressed", String(b.getAttribute(attr) === value)); });
  }

  /* document page */
  var article = document.querySelector("article.document");
  if (article) {
    var controls = article.querySelector(".controls");
    var viewButtons = article.querySelectorAll("[data-set-view]");
    var layerButtons = article.querySelectorAll("[data-set-layers]");
    var layers = article.querySelectorAll("section.layer");
    var pair = article.querySelectorAll("section.layer[data-primary]").length === 2;
    var wide = window.matchMedia("(min-width: 60em)");

    var align = function () {
      each(article.querySelectorAll("[data-aligned]"), function (e) {
        e.style.marginTop = ""; e.removeAttribute("data-aligned");
      });
      if (!pair || article.getAttribute("data-layers") !== "parallel" || !wide.matches) { return; }
      var left = article.querySelector('section[data-primary="left"]');
      var right = article.querySelector('section[data-primary="right"]');
      each(left.querySelectorAll("[data-corresp]"), function (a) {
        var b = null;
        each(a.getAttribute("data-corresp").split(" "), function (id) {
          var c = document.getElementById(id);
          if (!b && c && right.contains(c)) { b = c; }
        });
        if (!b) { return; }
        var d = Math.round(b.getBoundingClientRect().top - a.getBoundingClientRect().top);
        var target = d > 0 ? a : b;
        if (d !== 0) {
          var current = parseFloat(window.getComputedStyle(target).marginTop) || 0;
          target.style.marginTop = (current + Math.abs(d)) + "px";
          target.setAttribute("data-aligned", "");
        }
      });
    };
    var setView = function (value) {
      article.setAttribute("data-view", value);
      press(viewButtons, "data-set-view", value);
      remember("cablegram-view", value);
      align();
    };
    var setLayers = function (value) {
      article.setAttribute("data-layers", value === "parallel" && !pair ? "all" : value);
      each(layers, function (s) {
        s.hidden = value === "parallel" ? (pair && !s.hasAttribute("data-primary")) : s.id !== value;
      });
      press(layerButtons, "data-set-layers", value);
      align();
    };
    each(viewButtons, function (b) {
      b.addEventListener("click", function () { setView(b.getAttribute("data-set-view")); });
    });
    each(layerButtons, function (b) {
      b.addEventListener("click", function () { setLayers(b.getAttribute("data-set-layers")); });
    });
    controls.hidden = false;
    setView(remember("cablegram-view") === "diplomatic" ? "diplomatic" : "reading");
    if (layerButtons.length) { setLayers("parallel"); }
    var timer = null;
    window.addEventListener("resize", function () { window.clearTimeout(timer); timer = window.setTimeout(align, 120); });
    if (document.fonts && document.fonts.ready) { document.fonts.ready.then(align); }
  }

  /* index: filters and sorting */
  var table = document.getElementById("documents");
  var form = document.getElementById("filters");
  if (table && form) {
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var selects = form.querySelectorAll("select[data-filter]");
    var count = document.getElementById("filter-count");
    var filter = function () {
      var shown = 0;
      each(rows, function (r) {
        var ok = true;
        each(selects, function (s) {
          var values = (r.getAttribute("data-" + s.getAttribute("data-filter")) || "").split(" ");
          if (s.value && values.indexOf(s.value) < 0) { ok = false; }
        });
        r.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = shown + " of " + rows.length + " documents shown";
    };
    each(selects, function (s) { s.addEventListener("change", filter); });
    form.addEventListener("reset", function () { window.setTimeout(filter, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    each(table.querySelectorAll("button[data-sort]"), function (b) {
      b.addEventListener("click", function () {
        var key = "data-" + b.getAttribute("data-sort");
        var th = b.parentNode;
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        each(table.querySelectorAll("th[aria-sort]"), function (t) { t.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (x, y) {
          return (ascending ? 1 : -1) * (x.getAttribute(key) || "").localeCompare(y.getAttribute(key) || "");
        });
        each(rows, function (r) { tbody.appendChild(r); });
      });
    });
    form.hidden = false;
    filter();
  }

  /* search (pagefind, shipped in DIR/pagefind/) */
  var search = document.getElementById("search");
  if (search && search.getAttribute("data-search") === "pagefind" && window.location.protocol !== "file:"
      && typeof window.PagefindUI === "function") {
    var options = { element: "#search", showSubResults: true, showImages: false };
    /* a large edition has several indexes (pagefind-2/, …): their results are merged into pagefind/'s */
    var merge = (search.getAttribute("data-merge") || "").split(" ").filter(function (path) { return path; });
    if (merge.length) {
      /* absolute: pagefind resolves a relative bundlePath against its own bundle's, not the page's */
      options.mergeIndex = merge.map(function (path) {
        return { bundlePath: new URL(path + "/", document.baseURI).href };
      });
    }
    new window.PagefindUI(options);
    document.getElementById("search-note").hidden = true;
  }
}());
