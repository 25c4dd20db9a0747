/* pilotguide: filter the case table (table[data-pg-facets]) by facets and text, page by page.
 *
 * The table works without this script. Each row carries its facets as JSON arrays in
 * data-pg-<facet> attributes; the table's data-pg-facets lists the facets and their options.
 * A big guide's table holds only its first rows: data-pg-rows names a data file with every row
 * (pages/case_table.py), loaded with a script tag, which works from file:// where fetch does not.
 * Filters are mirrored in the URL hash (#filter:area=农村社区&role=矛盾化解) so a link can open
 * the table already filtered. Plain ES5-level DOM code: no library, no network, works on file://.
 */
(function () {
  "use strict";
  var PREFIX = "#filter:";
  var DATA_GLOBAL = "pilotguideCaseTable";
  var PAGE_ROWS = 50;
  var LABEL_CELLS = ["area", "activity", "role", "support"]; // cells that show the labels of a facet's options

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
    (children || []).forEach(function (c) {
      if (c !== "") el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);  // an empty cell stays :empty
    });
    return el;
  }

  function normalise(text) {
    return (text || "").replace(/\s+/g, "").toLowerCase();
  }

  // Rows already in the page (a small guide: all of them).
  function domItems(table, facets) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (row) {
      var item = { row: row, facets: {}, text: normalise(row.textContent) };
      facets.forEach(function (f) { item.facets[f.key] = parse(row.getAttribute("data-pg-" + f.key), []); });
      return item;
    });
  }

  // Rows from the data file: [id, title, place, started, [option numbers per facet]].
  function dataItems(table, data) {
    var first = table.tBodies[0].querySelector("a[href]");
    var firstId = data.rows.length ? data.rows[0][0] : "";
    var pattern = first && firstId && first.getAttribute("href").indexOf(firstId) !== -1
      ? first.getAttribute("href").split(firstId) : ["", ".html"];
    return data.rows.map(function (r) {
      var item = { id: r[0], href: pattern.join(r[0]), title: r[1], place: r[2], started: r[3], facets: {}, labels: {} };
      data.facets.forEach(function (f, i) {
        var options = (r[4][i] || []).map(function (n) { return f.options[n]; });
        item.facets[f.key] = options.map(function (o) { return o[0]; });
        item.labels[f.key] = options.map(function (o) { return o[1]; }).join("、");
      });
      item.text = normalise([item.title, item.place, item.started].concat(LABEL_CELLS.map(function (k) { return item.labels[k]; })).join(" "));
      return item;
    });
  }

  function rowOf(item, facets) {
    if (item.row) return item.row;
    var link = element("a", { href: item.href }, [item.title]);
    var cells = [element("td", {}, [link]), element("td", {}, [item.place]), element("td", {}, [item.labels.area || ""]),
      element("td", {}, [item.started]), element("td", {}, [item.labels.activity || ""]),
      element("td", {}, [item.labels.role || ""]), element("td", {}, [item.labels.support || ""])];
    item.row = element("tr", {}, cells);
    facets.forEach(function (f) { item.row.setAttribute("data-pg-" + f.key, JSON.stringify(item.facets[f.key] || [])); });
    return item.row;
  }

  function loadData(src, done) {
    if (window[DATA_GLOBAL]) { done(window[DATA_GLOBAL]); return; }
    var script = element("script", { src: src });
    script.onload = function () { done(window[DATA_GLOBAL] || null); };
    script.onerror = function () { done(null); };
    document.head.appendChild(script);
  }

  function setup(table) {
    if (table.getAttribute("data-pg-ready")) return;
    table.setAttribute("data-pg-ready", "1");
    var src = table.getAttribute("data-pg-rows");
    var facets = parse(table.getAttribute("data-pg-facets"), []);
    if (!src) { start(table, facets, domItems(table, facets), PAGE_ROWS); return; }
    var note = element("p", { className: "pg-filter__count" }, ["正在载入全部案例……"]);
    table.parentNode.insertBefore(note, table);
    loadData(src, function (data) {
      if (!data) {
        note.textContent = "未能载入全部案例，表中只列出前几个。请通过“找案例”分类查看其余案例。";
        return;
      }
      note.parentNode.removeChild(note);
      start(table, data.facets, dataItems(table, data), data.pageRows || PAGE_ROWS);
    });
  }

  function start(table, allFacets, items, pageRows) {
    var facets = allFacets.filter(function (f) { return f.options && f.options.length; });
    var tbody = table.tBodies[0];
    var controls = {};
    var page = 0;
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
    var previous = element("button", { type: "button", className: "pg-pager__previous md-button" }, ["上一页"]);
    var next = element("button", { type: "button", className: "pg-pager__next md-button" }, ["下一页"]);
    var where = element("span", { className: "pg-pager__status" });
    var pager = element("nav", { className: "pg-pager" }, [previous, where, next]);
    pager.setAttribute("aria-label", "案例表翻页");
    // Material may wrap the table in a scrolling box; put the form and pager outside that box.
    var anchor = table.closest(".md-typeset__scrollwrap") || table;
    anchor.parentNode.insertBefore(form, anchor);
    anchor.parentNode.insertBefore(pager, anchor.nextSibling);
    anchor.parentNode.insertBefore(empty, pager);

    function state() {
      var s = {};
      Object.keys(controls).forEach(function (k) { if (controls[k].value) s[k] = controls[k].value; });
      if (search.value.trim()) s.q = search.value.trim();
      return s;
    }

    function matches(s) {
      var words = normalise(s.q || "");
      return items.filter(function (item) {
        return Object.keys(controls).every(function (k) {
          return !s[k] || (item.facets[k] || []).indexOf(s[k]) !== -1;
        }) && (!words || item.text.indexOf(words) !== -1);
      });
    }

    function apply(updateHash) {
      var s = state();
      var found = matches(s);
      var pages = Math.max(1, Math.ceil(found.length / pageRows));
      page = Math.min(Math.max(page, 0), pages - 1);
      var shown = found.slice(page * pageRows, (page + 1) * pageRows);
      while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
      shown.forEach(function (item) { tbody.appendChild(rowOf(item, facets)); });
      var text = "共 " + items.length + " 个案例，显示 " + found.length + " 个";
      if (pages > 1) text += "（第 " + (page * pageRows + 1) + "–" + (page * pageRows + shown.length) + " 个）";
      count.textContent = text;
      count.setAttribute("data-pg-shown", String(found.length));
      empty.hidden = found.length !== 0;
      pager.hidden = pages < 2;
      where.textContent = "第 " + (page + 1) + " / " + pages + " 页";
      previous.disabled = page === 0;
      next.disabled = page >= pages - 1;
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
      page = 0;
      apply(false);
    }

    function turn(by) {
      page += by;
      apply(false);
      (table.closest(".md-typeset__scrollwrap") || table).scrollIntoView({ block: "start" });
    }

    Object.keys(controls).forEach(function (k) { controls[k].addEventListener("change", function () { page = 0; apply(true); }); });
    search.addEventListener("input", function () { page = 0; apply(true); });
    previous.addEventListener("click", function () { turn(-1); });
    next.addEventListener("click", function () { turn(1); });
    reset.addEventListener("click", function () {
      Object.keys(controls).forEach(function (k) { controls[k].value = ""; });
      search.value = "";
      page = 0;
      apply(true);
    });
    window.addEventListener("hashchange", load);
    load();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-pg-facets]"), setup);
  }

  window.pilotguideOnEveryPage(init);  // every-page.js
})();
