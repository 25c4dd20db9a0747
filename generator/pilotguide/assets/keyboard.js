/* pilotguide: the menu and search reachable by keyboard (WCAG 2.1.1, 2.4.3).
 *
 * - Material opens its menu drawer (below 1220 px: phones, tablets, zoomed pages) with a <label>
 *   for a hidden check box: a mouse or a finger can press it, the Tab key cannot reach it. Here the
 *   ☰ label becomes a button (tabindex, role, name, aria-expanded): Enter or Space opens the menu
 *   and moves focus to its first link; Escape closes it and gives focus back to ☰.
 *   pilotguide.css hides the closed drawer (visibility), so its links take no focus while off-screen.
 * - Search closes when Tab leaves it, so focus never lands on a link under the open search.
 * - The search results' scroll box carries tabindex="0" in Material's template: an empty, 0 px high
 *   Tab stop. Results are links (and Material moves through them with the arrow keys), so the box
 *   itself needs no Tab stop.
 * Only Material's documented page structure (class names and the __drawer toggle) is used.
 */
(function () {
  "use strict";

  function drawerToggle() { return document.getElementById("__drawer"); }

  function firstMenuLink() {
    return document.querySelector(".md-sidebar--primary a[href], .md-sidebar--primary label[tabindex]");
  }

  function setDrawer(open, button) {
    var toggle = drawerToggle();
    if (!toggle || toggle.checked === open) return;
    toggle.checked = open;
    toggle.dispatchEvent(new Event("change", { bubbles: true }));
    if (button) button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function menuButton(label) {
    if (label.getAttribute("data-pg-ready")) return;
    label.setAttribute("data-pg-ready", "1");
    label.setAttribute("tabindex", "0");
    label.setAttribute("role", "button");
    if (!label.getAttribute("aria-label")) label.setAttribute("aria-label", "打开目录");
    label.setAttribute("aria-expanded", drawerToggle() && drawerToggle().checked ? "true" : "false");
    label.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      var open = !(drawerToggle() && drawerToggle().checked);
      setDrawer(open, label);
      if (open) {
        var link = firstMenuLink();
        /* The drawer turns visible at once (its slide-in is a transform), so its links can take focus. */
        if (link) link.focus();
      }
    });
    var toggle = drawerToggle();
    if (toggle) {
      toggle.addEventListener("change", function () {
        label.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
      });
    }
  }

  /* Material opens search when its field takes focus and keeps it open until Escape or a click:
     a Tab past the field would land on links hidden under the open search (WCAG 2.4.11). Close it
     when focus leaves it for the page. */
  function closeSearchOnLeave(search) {
    if (search.getAttribute("data-pg-ready")) return;
    search.setAttribute("data-pg-ready", "1");
    /* focusin on the page, not focusout on search: leaving the field for an element far down the
       page, Chromium reports no relatedTarget. */
    document.addEventListener("focusin", function (event) {
      var next = event.target;
      if (!next || search.contains(next)) return;
      var toggle = document.getElementById("__search");
      if (toggle && toggle.checked) {
        toggle.checked = false;
        toggle.dispatchEvent(new Event("change", { bubbles: true }));
      }
      /* On a phone Material locks the page's scrolling while search is open; a moment after it
         closes it unlocks it and puts the page back where it was, which can leave the newly
         focused element off-screen: bring it into view when the lock goes. */
      var body = document.body;
      if (!body.hasAttribute("data-md-scrolllock") || !window.MutationObserver) return;
      var watch = new MutationObserver(function () {
        if (body.hasAttribute("data-md-scrolllock")) return;
        watch.disconnect();
        if (document.activeElement === next) next.scrollIntoView({ block: "nearest" });
      });
      watch.observe(body, { attributes: true, attributeFilter: ["data-md-scrolllock"] });
    });
  }

  function setup() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-search"), closeSearchOnLeave);
    Array.prototype.forEach.call(document.querySelectorAll("label.md-header__button[for='__drawer']"), menuButton);
    Array.prototype.forEach.call(document.querySelectorAll(".md-search__scrollwrap[tabindex='0']"), function (box) {
      box.setAttribute("tabindex", "-1");
    });
  }

  document.addEventListener("keydown", function (event) {
    var toggle = drawerToggle();
    if (event.key !== "Escape" || !toggle || !toggle.checked) return;
    var button = document.querySelector("label.md-header__button[for='__drawer']");
    setDrawer(false, button);
    if (button) button.focus();
  });

  window.pilotguideOnEveryPage(setup);  // every-page.js
})();
