/* pilotguide: wide tables and the case filter form on a phone.
 *
 * Below 600 px pilotguide.css shows each row of a table.pg-cards (the case table, and any table of
 * four columns or more) as a card; each cell
 * then needs its column's name, which this script copies from the header into data-pg-label
 * (also for rows added later, e.g. a page of rows drawn from a data file). The filter form that
 * filter.js builds (now or later) is wrapped in a <details> ("筛选条件"), closed on a phone, open elsewhere.
 */
(function () {
  "use strict";
  var PHONE = "(max-width: 37.4375em)";

  function label(table) {
    var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, i) {
        if (names[i] && !td.hasAttribute("data-pg-label")) td.setAttribute("data-pg-label", names[i]);
      });
    });
  }

  function fold(form) {
    if (form.parentNode.classList.contains("pg-filter-fold")) return;
    var details = document.createElement("details");
    details.className = "pg-filter-fold";
    var summary = document.createElement("summary");
    summary.textContent = "筛选条件";
    details.appendChild(summary);
    form.parentNode.insertBefore(details, form);
    details.appendChild(form);
    details.open = !window.matchMedia(PHONE).matches;
    var count = form.querySelector(".pg-filter__count");
    if (count) details.parentNode.insertBefore(count, details.nextSibling);  // the count stays in view
  }

  /* Wide tables turn into cards on a phone: the case table, and any table of four columns or more
     (the policies index with its 状态, the steps index with its 清单进度). */
  var CARDS = 4;

  function cards(table) {
    if (table.hasAttribute("data-pg-facets") || table.querySelectorAll("thead th").length >= CARDS) {
      table.classList.add("pg-cards");
      label(table);
    }
  }

  function update() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset table"), cards);
    Array.prototype.forEach.call(document.querySelectorAll("form.pg-filter"), fold);
  }

  /* Rows or the form may arrive after this script runs (rows drawn from a data file): watch the
     article holding the table. label() and fold() change nothing the second time. */
  function setup() {
    update();
    var table = document.querySelector("table[data-pg-facets]");
    var article = table && table.closest("article");
    if (article && !article.pgObserved && window.MutationObserver) {
      article.pgObserved = true;
      new MutationObserver(update).observe(article, { childList: true, subtree: true });
    }
  }

  window.pilotguideOnEveryPage(setup);  // every-page.js
})();
