/* pilotguide: checklists a reader can tick, progress kept on this device, and printing.
 *
 * - Tick boxes (pymdownx.tasklist renders them disabled) become real, named check boxes on every
 *   page with a task list (step pages, course handouts). Each item's text moves inside its <label>,
 *   so the whole line is the tap target and the box's accessible name.
 * - What is ticked is kept in localStorage, one entry per page ("pilotguide:checklist:" + path).
 *   localStorage works over http and from file:// (all pages opened from disk share one origin).
 * - The steps index shows "已完成 2/3" per step (cells carrying data-pg-total) and a reset button.
 * - "打印检查清单" prints the step's title and checklist alone on one A4 page (pilotguide.css);
 *   printing shows the boxes ticked or empty as on screen.
 * Without JavaScript the boxes stay as printed squares and the page still prints.
 */
(function () {
  "use strict";
  var PREFIX = "pilotguide:checklist:";
  var MODE = "pg-print-checklist";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }  // blocked storage: ticks not kept
  }

  function keyFor(url) { return PREFIX + new URL(url, window.location.href).pathname; }

  function load(key) {
    var store = storage();
    try { return JSON.parse((store && store.getItem(key)) || "{}") || {}; } catch (e) { return {}; }
  }

  function save(key, ticked) {
    var store = storage();
    if (!store) return;
    try {
      if (Object.keys(ticked).length) store.setItem(key, JSON.stringify(ticked));
      else store.removeItem(key);
    } catch (e) { /* quota or privacy mode: the ticks stay on screen only */ }
  }

  function itemKey(listIndex, li) {
    return listIndex + "|" + li.textContent.replace(/\s+/g, " ").trim();
  }

  function makeTickable(li) {
    var label = li.querySelector(".task-list-control");
    var box = label && label.querySelector("input[type=checkbox]");
    if (!box) return null;
    while (label.nextSibling) label.appendChild(label.nextSibling);  // the text becomes the label
    box.disabled = false;
    box.removeAttribute("disabled");
    box.checked = false;
    return box;
  }

  function setupLists() {
    var lists = document.querySelectorAll(".md-content ul.task-list");
    if (!lists.length) return;
    var key = keyFor(window.location.href);
    var ticked = load(key);
    var boxes = [];
    Array.prototype.forEach.call(lists, function (list, listIndex) {
      Array.prototype.forEach.call(list.children, function (li) {
        if (!li.classList.contains("task-list-item") || li.getAttribute("data-pg-ready")) return;
        li.setAttribute("data-pg-ready", "1");
        var id = itemKey(listIndex, li);
        var box = makeTickable(li);
        if (!box) return;
        box.checked = !!ticked[id];
        boxes.push({ id: id, box: box });
      });
    });
    function store() {
      var now = {};
      boxes.forEach(function (b) { if (b.box.checked) now[b.id] = 1; });
      save(key, now);
    }
    boxes.forEach(function (b) { b.box.addEventListener("change", store); });
    addPageButtons(boxes, store);
  }

  function button(text, className, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "md-button pg-checklist-button " + className;
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  function addPageButtons(boxes, store) {
    var heading = document.getElementById("checklist");
    if (!heading || !boxes.length || heading.getAttribute("data-pg-ready")) return;
    heading.setAttribute("data-pg-ready", "1");
    var bar = document.createElement("p");
    bar.className = "pg-checklist-bar";
    bar.appendChild(button("打印检查清单", "pg-print-button", function () {
      document.body.classList.add(MODE);
      window.print();
    }));
    bar.appendChild(button("清除本页勾选", "pg-reset-button", function () {
      boxes.forEach(function (b) { b.box.checked = false; });
      store();
    }));
    heading.parentNode.insertBefore(bar, heading.nextSibling);
  }

  /* The steps index: one cell per step with data-pg-total; the step's link is in the same row. */
  function setupProgress() {
    var cells = document.querySelectorAll(".md-content [data-pg-total]");
    if (!cells.length) return;
    function show() {
      Array.prototype.forEach.call(cells, function (cell) {
        var link = cell.closest("tr") && cell.closest("tr").querySelector("a[href]");
        if (!link) return;
        var total = parseInt(cell.getAttribute("data-pg-total"), 10) || 0;
        var done = Math.min(Object.keys(load(keyFor(link.getAttribute("href")))).length, total);
        cell.textContent = (done === total && total ? "已全部完成 " : "已完成 ") + done + "/" + total;
        cell.classList.toggle("pg-progress--done", done === total && total > 0);
      });
    }
    show();
    var anchor = document.querySelector(".md-content article h2") || cells[0].closest("table");
    if (!anchor || document.querySelector(".pg-progress-reset")) return;
    var bar = document.createElement("p");
    bar.appendChild(button("清除全部勾选记录", "pg-progress-reset", function () {
      Array.prototype.forEach.call(cells, function (cell) {
        var link = cell.closest("tr") && cell.closest("tr").querySelector("a[href]");
        if (link) save(keyFor(link.getAttribute("href")), {});
      });
      show();
    }));
    anchor.parentNode.insertBefore(bar, anchor);
  }

  function setup() {
    setupLists();
    setupProgress();
  }

  window.addEventListener("afterprint", function () { document.body.classList.remove(MODE); });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
