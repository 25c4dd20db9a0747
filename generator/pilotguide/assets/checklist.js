/* pilotguide: a "打印检查清单" button beside each step's checklist.
 *
 * It prints the checklist alone (with the step's title) on one A4 page; pilotguide.css holds the
 * print rules. Without JavaScript, printing the whole page still puts the checklist on a page of
 * its own.
 */
(function () {
  "use strict";
  var MODE = "pg-print-checklist";

  function setup() {
    var heading = document.getElementById("checklist");
    if (!heading || heading.getAttribute("data-pg-ready")) return;
    heading.setAttribute("data-pg-ready", "1");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button pg-print-button";
    button.textContent = "打印检查清单";
    button.addEventListener("click", function () {
      document.body.classList.add(MODE);
      window.print();
    });
    heading.parentNode.insertBefore(button, heading.nextSibling);
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
