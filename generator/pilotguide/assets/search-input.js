/* pilotguide: Material's search box reacts to any way text arrives, and its dialog has a name.
 *
 * Material reads the query on `keyup` only, so text that arrives without a key (pasted from a
 * menu, voice input, handwriting, an input method's candidate tapped on a phone) showed nothing
 * until another key was pressed. Every `input` event (outside an IME composition) and every
 * `compositionend` now sends Material a keyup; it ignores an unchanged value, so typing is not
 * searched twice. Works the same over http and from file://.
 */
(function () {
  "use strict";

  function nudge(event) {
    var box = event.target;
    if (!box || !box.classList || !box.classList.contains("md-search__input")) return;
    if (event.type === "input" && event.isComposing) return;  // wait for the IME's commit
    box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true, key: "Unidentified" }));
  }

  function name() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.getAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索本站");
  }

  document.addEventListener("input", nudge, true);
  document.addEventListener("compositionend", nudge, true);
  window.pilotguideOnEveryPage(name);  // every-page.js
})();
