/* pilotguide: filter the case table (table[data-pg-facets]) by facets and text.
 *
 * The table is complete without this script. Each row carries its facets as JSON arrays in
 * data-pg-<facet> attributes; the table's data-pg-facets lists the facets and their options.
 * Filters are mirrored in the URL hash (#filter:area=农村社区&role=矛盾化解) so a link can open
 * the table already filtered. Plain ES5-level DOM code: no library, no network, works on file://.
 */
(function () {
  "use strict";
  var PREFIX = "#filter:";

  function parse(text, fallback) {
    try { return JSON.parse(text); } catch (e) { return fallback; }
  }

  function readHash() {
    var state = {};
    var hash = window.location.hash;
    if (hash.indexOf(PREFIX) !== 0) return state;
    hash.slice(PREFIX.length).split("&").forEach(function (pair) {
      var i = pair.indexOf("=");
      if (i > 0) {
        try { state[decodeURIComponent(pair.slice(0, i))] = decodeURIComponent(pair.slice(i + 1)); } catch (e) { /* ignore a mangled pair */ }
      }
    });
    return state;
  }

  function writeHash(state) {
    var parts = [];
    Object.keys(state).forEach(function (key) {
      if (state[key]) parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(state[key]));
    });
    var url = window.location.pathname + window.location.search + (parts.length ? PREFIX + parts.join("&") : "");
    try { window.history.replaceState(null, "", url); } catch (e) { /* some file:// setups refuse; filtering still works */ }
  }

  function element(tag, props, children) {
    var el = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) { el[k] = props[k]; });
    (children || []).forEach(function (c) { el.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return el;
  }

  function normalise(text) {
    return (text || "").replace(/\s+/g, "").toLowerCase();
  }

  function setup(table) {
    if (table.getAttribute("data-pg-ready")) return;
    table.setAttribute("data-pg-ready", "1");
    var facets = parse(table.getAttribute("data-pg-facets"), []).filter(function (f) { return f.options && f.options.length; });
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    rows.forEach(function (row) {
      row.pgFacets = {};
      facets.forEach(function (f) { row.pgFacets[f.key] = parse(row.getAttribute("data-pg-" + f.key), []); });
      row.pgText = normalise(row.textContent);
    });

    var controls = {};
    var search = element("input", { type: "search", className: "pg-filter__search", placeholder: "输入关键词，如村名、作用" });
    search.setAttribute("aria-label", "按关键词筛选案例");
    var fields = [element("label", { className: "pg-filter__field pg-filter__field--text" }, ["关键词", search])];
    facets.forEach(function (f) {
      var select = element("select", { className: "pg-filter__select" }, [element("option", { value: "" }, ["全部"])]);
      select.setAttribute("data-pg-facet", f.key);
      f.options.forEach(function (o) {
        var indent = new Array((o[2] || 0) + 1).join("\u3000");
        select.appendChild(element("option", { value: o[0] }, [indent + o[1] + "（" + o[3] + "）"]));
      });
      controls[f.key] = select;
      fields.push(element("label", { className: "pg-filter__field" }, [f.label, select]));
    });
    var count = element("p", { className: "pg-filter__count" });
    count.setAttribute("aria-live", "polite");
    var reset = element("button", { type: "button", className: "pg-filter__reset md-button" }, ["清除筛选"]);
    var form = element("form", { className: "pg-filter" }, [element("div", { className: "pg-filter__fields" }, fields), reset, count]);
    form.setAttribute("role", "search");
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var empty = element("p", { className: "pg-filter__empty" }, ["没有符合条件的案例。请减少筛选条件。"]);
    empty.hidden = true;
    // Material may wrap the table in a scrolling box; put the form outside that box.
    var anchor = table.closest(".md-typeset__scrollwrap") || table;
    anchor.parentNode.insertBefore(form, anchor);
    anchor.parentNode.insertBefore(empty, anchor.nextSibling);

    function state() {
      var s = {};
      Object.keys(controls).forEach(function (k) { if (controls[k].value) s[k] = controls[k].value; });
      if (search.value.trim()) s.q = search.value.trim();
      return s;
    }

    function apply(updateHash) {
      var s = state();
      var words = normalise(s.q || "");
      var shown = 0;
      rows.forEach(function (row) {
        var ok = Object.keys(controls).every(function (k) {
          return !s[k] || row.pgFacets[k].indexOf(s[k]) !== -1;
        }) && (!words || row.pgText.indexOf(words) !== -1);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = "共 " + rows.length + " 个案例，显示 " + shown + " 个";
      count.setAttribute("data-pg-shown", String(shown));
      empty.hidden = shown !== 0;
      if (updateHash) writeHash(s);
    }

    function load() {
      var s = readHash();
      Object.keys(controls).forEach(function (k) {
        var wanted = s[k] || "";
        var known = Array.prototype.some.call(controls[k].options, function (o) { return o.value === wanted; });
        if (wanted && !known) {
          // A link may ask for a term no case carries yet: show it, with its honest zero.
          controls[k].appendChild(element("option", { value: wanted }, [wanted + "（0）"]));
        }
        controls[k].value = wanted;
      });
      search.value = s.q || "";
      apply(false);
    }

    Object.keys(controls).forEach(function (k) { controls[k].addEventListener("change", function () { apply(true); }); });
    search.addEventListener("input", function () { apply(true); });
    reset.addEventListener("click", function () {
      Object.keys(controls).forEach(function (k) { controls[k].value = ""; });
      search.value = "";
      apply(true);
    });
    window.addEventListener("hashchange", load);
    load();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-pg-facets]"), setup);
  }

  // Material's instant navigation swaps pages without reloading; document$ announces each one.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
