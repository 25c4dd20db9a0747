/* pilotguide: run a script's setup on every page. Loaded before the other pilotguide scripts.
   Material's instant navigation swaps pages without reloading and announces each one on document$;
   without it (another theme, a page opened from disk before the bundle ran), once the document is ready. */
window.pilotguideOnEveryPage = function (setup) {
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
};
