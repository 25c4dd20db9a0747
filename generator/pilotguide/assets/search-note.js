/* pilotguide: the search note under Material's result count, from what our worker reports.
 *
 * The worker (assets/search/worker.js) sends, after every answer, a message of its own type
 * (NOTE): the words it searched, the words of the query the guide does not hold and the guide's
 * words near those. Material ignores that message type; this script listens to the worker for it
 * and says, in words, what happened:
 *   - nothing found: 没有找到“备案”, the guide's nearby words as buttons that search them;
 *   - some words absent: which, and that the results hold the others;
 *   - an everyday word or pinyin searched as the guide's term: which term.
 * It wraps the page's Worker constructor (the browser's, or iframe-worker's from file://) to add
 * its listener to the search worker Material creates; the worker itself is left as it is.
 */
(function () {
  "use strict";

  var NOTE = 1001;  // as NOTE in worker.js
  var Native = window.Worker;
  if (typeof Native !== "function" || Native.pilotguideNote) return;

  function quoted(words) {
    return words.map(function (w) { return "“" + w + "”"; }).join("");
  }

  function search(word) {
    var box = document.querySelector("input.md-search__input");
    if (!box) return;
    box.value = word;
    box.focus();
    box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true, key: "Unidentified" }));
  }

  function element() {
    var meta = document.querySelector(".md-search-result__meta");
    if (!meta) return null;
    var note = document.querySelector(".pilotguide-search-note");
    if (!note) {
      note = document.createElement("div");
      note.className = "pilotguide-search-note";
      note.setAttribute("role", "status");
      meta.parentNode.insertBefore(note, meta.nextSibling);
    }
    return note;
  }

  function show(data) {
    var note = element();
    if (!note) return;
    note.textContent = "";
    note.hidden = true;
    note.dataset.query = data && data.query || "";  // which query the note answers (tests wait on it)
    if (!data || !data.query) return;
    var text = "";
    if (!data.found) {
      text = "没有找到" + quoted(data.missing.length ? data.missing : [data.query]) + "：指南里没有这个词。";
    } else if (data.missing.length) {
      text = "指南里没有" + quoted(data.missing) + "，下面是含有" + quoted(data.words) + "的结果。";
    } else if (data.swapped && data.words.length) {
      text = "已按指南用词" + quoted(data.words) + "查找。";
    }
    if (!text) return;
    var p = document.createElement("p");
    p.textContent = text;
    note.appendChild(p);
    if (!data.found || (data.nearby && data.nearby.length)) {
      var more = document.createElement("p");
      if (data.nearby && data.nearby.length) {
        more.appendChild(document.createTextNode("指南里相近的词（点击即可查找）："));
        data.nearby.forEach(function (word) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "pilotguide-search-note__word";
          button.textContent = word;
          button.addEventListener("click", function () { search(word); });
          more.appendChild(button);
        });
      } else {
        more.textContent = "可以换个说法，或到术语表查看指南里用的词。";
      }
      note.appendChild(more);
    }
    note.hidden = false;
  }

  function Wrapped(url, options) {
    var worker = new Native(url, options);
    if (String(url).indexOf("search-worker") >= 0) {
      worker.addEventListener("message", function (event) {
        if (event.data && event.data.type === NOTE) show(event.data.data);
      });
    }
    return worker;
  }
  Wrapped.prototype = Native.prototype;
  Wrapped.pilotguideNote = true;
  window.Worker = Wrapped;

  // A new query clears the last note until its own arrives.
  document.addEventListener("input", function (event) {
    if (event.target && event.target.classList && event.target.classList.contains("md-search__input")) show(null);
  }, true);
})();
