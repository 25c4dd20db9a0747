/* pilotguide: checklists a reader can tick, progress kept on this device, and printing.
 *
 * - Tick boxes (pymdownx.tasklist renders them disabled) become real, named check boxes on every
 *   page with a task list (step pages, course handouts). Each item's text moves inside its <label>,
 *   so the whole line is the tap target and the box's accessible name.
 * - What is ticked is kept in localStorage, one entry per page ("pilotguide:checklist:" + path).
 *   localStorage works over http and from file:// (all pages opened from disk share one origin).
 * - The steps index shows "已完成 2/3" per step (cells carrying data-pg-total) and a reset button;
 *   clearing (all steps, or one page) says what it cleared and offers 撤销 (undo).
 * - 我的进度 (steps/progress.html) shows every step's items ☑/☐ from the same records, today's date,
 *   and a button to print it on one A4 page (pilotguide.css).
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
      var before = boxes.map(function (b) { return b.box.checked; });
      var count = before.filter(Boolean).length;
      if (!count) { offerUndo(bar, "本页没有勾选记录。", null); return; }
      boxes.forEach(function (b) { b.box.checked = false; });
      store();
      offerUndo(bar, "已清除本页 " + count + " 项勾选。", function () {
        boxes.forEach(function (b, i) { b.box.checked = before[i]; });
        store();
      });
    }));
    heading.parentNode.insertBefore(bar, heading.nextSibling);
  }

  /* After a clear: say what was cleared, with 撤销 to put it back (the ticks are the only record
     a township has of its work, and one tap should not lose them). */
  function offerUndo(after, message, restore) {
    var note = after.parentNode.querySelector(".pg-undo");
    if (!note) {
      note = document.createElement("p");
      note.className = "pg-undo";
      note.setAttribute("role", "status");
      after.parentNode.insertBefore(note, after.nextSibling);
    }
    note.textContent = message;
    if (!restore) return;
    var undo = button("撤销", "pg-undo-button", function () {
      restore();
      note.textContent = "已恢复勾选记录。";
    });
    note.appendChild(document.createTextNode(" "));
    note.appendChild(undo);
  }

  function itemText(id) { return id.slice(id.indexOf("|") + 1); }

  function today() {
    var d = new Date();
    return d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日";
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
        /* 我的进度: each item of the step, ☑ when ticked on the step's page */
        var ticked = Object.keys(load(keyFor(link.getAttribute("href")))).map(itemText);
        Array.prototype.forEach.call(cell.closest("tr").querySelectorAll(".pg-check"), function (item) {
          var text = item.textContent.replace(/^[☐☑]\s*/, "").replace(/\s+/g, " ").trim();
          var on = ticked.indexOf(text) >= 0;
          item.textContent = (on ? "☑ " : "☐ ") + text;
          item.classList.toggle("pg-check--done", on);
        });
      });
    }
    show();
    var sheet = document.querySelector(".md-content .pg-progress-sheet");
    if (sheet) {  // 我的进度: today's date, and a button to print the page
      var date = sheet.querySelector(".pg-today");
      if (date) date.textContent = today();
      if (!document.querySelector(".pg-progress-print")) {
        var printBar = document.createElement("p");
        printBar.className = "pg-checklist-bar";
        printBar.appendChild(button("打印我的进度", "pg-progress-print", function () { window.print(); }));
        sheet.parentNode.insertBefore(printBar, sheet);
      }
      return;
    }
    var anchor = document.querySelector(".md-content article h2") || cells[0].closest("table");
    if (!anchor || document.querySelector(".pg-progress-reset")) return;
    var bar = document.createElement("p");
    bar.appendChild(button("清除全部勾选记录", "pg-progress-reset", function () {
      var keys = [], before = {}, steps = 0;
      Array.prototype.forEach.call(cells, function (cell) {
        var link = cell.closest("tr") && cell.closest("tr").querySelector("a[href]");
        if (!link) return;
        var key = keyFor(link.getAttribute("href"));
        keys.push(key);
        before[key] = load(key);
        if (Object.keys(before[key]).length) steps += 1;
      });
      if (!steps) { offerUndo(bar, "还没有任何勾选记录。", null); return; }
      keys.forEach(function (key) { save(key, {}); });
      show();
      offerUndo(bar, "已清除 " + steps + " 个步骤的勾选记录。", function () {
        keys.forEach(function (key) { save(key, before[key]); });
        show();
      });
    }));
    anchor.parentNode.insertBefore(bar, anchor);
  }

  function setup() {
    setupLists();
    setupProgress();
  }

  window.addEventListener("afterprint", function () { document.body.classList.remove(MODE); });
  window.pilotguideOnEveryPage(setup);  // every-page.js
})();
