/*
 * pilotguide search worker: Material for MkDocs' own search worker (lunr), with Chinese text
 * segmented into words the same way in the documents and in the query.
 *
 * The page's configuration (`__config.search`) points here instead of at Material's worker; this
 * script loads Material's worker and adapts the messages that pass through it:
 *
 *   SETUP   the index holds plain text plus a lexicon (config.pilotguide.lexicon, built at build
 *           time with jieba and the guide's own terms). Every run of Chinese characters in a
 *           title or text is cut into words with that lexicon; a compound word (社区社会组织) is
 *           cut further into its parts (社区 社会 组织), and the words are joined by U+200B,
 *           which Material's separator splits on. So a part (纠纷 in 邻里纠纷) is a token.
 *   QUERY   the query is cut with the same function. A compound becomes required parts
 *           (+社区* +社会* +组织*), so a whole term finds exactly the pages holding all its parts.
 *           An everyday word from the synonyms vocabulary (吵架) is searched as the guide's term
 *           (纠纷); pinyin typed without an input method (yanglao, yl) as the words it spells
 *           (config.pilotguide.synonyms and .pinyin, written at build time).
 *   RESULT  U+200B is removed from titles and snippets, so copied text reads naturally.
 *
 * Queries reach Material with each word written as its characters joined by a backslash
 * (社\区): lunr's query lexer drops the escape, and Material's own experimental segmenter leaves
 * single characters alone, so the words arrive exactly as cut here.
 *
 * Loaded in a page (not a worker), the script only defines `PilotguideSearch`, for tests.
 */
(function (scope) {
  "use strict";

  var MATERIAL_WORKER = "__MATERIAL_WORKER__";  // filled in at build time, relative to this file
  var ZWSP = "\u200b";
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  var SETUP = 0, QUERY = 2, RESULT = 3;          // Material's SearchMessageType
  var WORD = 1, CHAR = 1.5;                      // cost of a lexicon word and of a lone character

  /* A trie of the lexicon; `cut` finds the cheapest cut of a run (fewest words, lone characters
     cost more), `parts` cuts a word into its smallest lexicon words (memoised). */
  function Segmenter(words, synonyms, pinyin) {
    this.root = new Map();
    this.memo = new Map();
    this.synonyms = synonyms || {};   // everyday word -> the guide's term (synonyms.yaml)
    this.pinyin = pinyin || {};       // "yanglao", "yl" -> [养老, ...], most common first
    for (var i = 0; i < words.length; i++) {
      if (words[i].length < 2) continue;
      var node = this.root;
      for (var j = 0; j < words[i].length; j++) {
        var ch = words[i][j];
        if (!node.has(ch)) node.set(ch, new Map());
        node = node.get(ch);
      }
      node.word = true;
    }
  }

  /* Cheapest cut of `run`; with `whole` false the run itself is not a candidate word. */
  Segmenter.prototype.cut = function (run, whole) {
    var n = run.length, cost = [0], back = [0];
    for (var k = 1; k <= n; k++) cost[k] = Infinity;
    for (var i = 0; i < n; i++) {
      if (cost[i] + CHAR < cost[i + 1]) { cost[i + 1] = cost[i] + CHAR; back[i + 1] = i; }
      var node = this.root;
      for (var j = i; j < n && (node = node.get(run[j])); j++) {
        var end = j + 1;
        if (node.word && end - i >= 2 && (whole || end - i < n) && cost[i] + WORD < cost[end]) {
          cost[end] = cost[i] + WORD;
          back[end] = i;
        }
      }
    }
    var words = [];
    for (var e = n; e > 0; e = back[e]) words.unshift(run.slice(back[e], e));
    return words;
  };

  /* The smallest lexicon words a word is made of: [word] when it has no such parts. */
  Segmenter.prototype.parts = function (word) {
    var known = this.memo.get(word);
    if (known) return known;
    var result = [word];
    if (word.length > 2) {
      var pieces = this.cut(word, false);
      if (pieces.some(function (p) { return p.length >= 2; })) {
        result = [];
        for (var i = 0; i < pieces.length; i++) result.push.apply(result, this.parts(pieces[i]));
      }
    }
    this.memo.set(word, result);
    return result;
  };

  /* Document side: each Chinese run becomes its parts, joined and surrounded by U+200B. */
  Segmenter.prototype.indexText = function (text) {
    var self = this;
    return text.replace(HAN, function (run) {
      var out = [];
      self.cut(run, true).forEach(function (w) { out.push.apply(out, self.parts(w)); });
      return ZWSP + out.join(ZWSP) + ZWSP;
    });
  };

  /* Query side: the same cut; a compound's parts are all required. Words are escaped as
     characters joined by "\\" (see above); a one-character part must match exactly. A lone
     character outside any word (的, 怎) is dropped when the query has words: it matches almost
     every page and only blurs the ranking. */
  Segmenter.prototype.queryText = function (query) {
    var self = this;
    var typed = this.fromPinyin(query);
    if (typed !== null) return typed;
    function escape(word) { return word.split("").join("\\"); }
    var hasWords = (query.match(HAN) || []).some(function (run) {
      return self.cut(run, true).some(function (w) { return w.length > 1; });
    });
    return query.replace(HAN, function (run) {
      var terms = [];
      self.cut(run, true).forEach(function (w) {
        w = self.synonyms[w] || w;  // an everyday word stands for the guide's term
        var parts = self.parts(w);
        if (w.length === 1) { if (!hasWords) terms.push(w); return; }
        if (parts.length === 1) { terms.push(escape(w)); return; }
        parts.forEach(function (p) { terms.push("+" + escape(p) + (p.length > 1 ? "*" : "")); });
      });
      return " " + terms.join(" ") + " ";
    }).replace(/\s+/g, " ").trim();
  };

  /* Pinyin typed without an input method (yanglao, yang lao, yl): the words it spells, as a query;
     null when the query is not pinyin the index knows. One word: searched like the word itself;
     several (a vague key such as "yl"): any of them, each as optional parts. */
  Segmenter.prototype.fromPinyin = function (query) {
    var q = query.trim().toLowerCase();
    if (!/^[a-z' ]+$/.test(q)) return null;
    var self = this;
    var words = this.pinyin[q.replace(/[\s']+/g, "")];
    if (!words) {
      var each = q.split(/\s+/).map(function (t) { return (self.pinyin[t] || [])[0]; });
      if (!each.every(Boolean)) return null;
      words = [each.join(" ")];
    }
    if (words.length === 1) return this.queryText(words[0]);
    var terms = [];
    words.forEach(function (w) {
      self.cut(w, true).forEach(function (c) {
        self.parts(c).forEach(function (p) { if (p.length > 1) terms.push(p.split("").join("\\")); });
      });
    });
    return terms.join(" ");
  };

  function clean(value) {
    return typeof value === "string" ? value.split(ZWSP).join("") : value;
  }

  scope.PilotguideSearch = { Segmenter: Segmenter, clean: clean };
  if (typeof scope.importScripts !== "function") return;  // a page (tests), not a worker

  /* ---- inside the worker (or the iframe that iframe-worker uses from file://) ---- */

  var segmenter = new Segmenter([]);
  var material = null;                 // Material's message listener, once registered
  var waiting = [];
  var addListener = scope.addEventListener.bind(scope);
  var post = scope.postMessage;

  scope.addEventListener = function (type, listener, options) {
    if (type !== "message" || material) return addListener(type, listener, options);
    material = listener;
    waiting.splice(0).forEach(function (data) { material({ data: data }); });
  };

  scope.postMessage = function (message, options) {
    if (message && message.type === RESULT && message.data && message.data.items) {
      message.data.items.forEach(function (group) {
        group.forEach(function (item) {
          item.title = clean(item.title);
          item.text = clean(item.text);
        });
      });
    }
    return post.call(scope, message, options);
  };

  function adapt(message) {
    if (message.type === SETUP) {
      var config = message.data.config;
      var extra = config.pilotguide || {};
      segmenter = new Segmenter(extra.lexicon ? extra.lexicon.split(" ") : [], extra.synonyms, extra.pinyin);
      if (config.separator.indexOf("\\u200b") < 0) config.separator = "\\u200b+|" + config.separator;
      message.data.docs.forEach(function (doc) {
        doc.title = segmenter.indexText(doc.title);
        doc.text = segmenter.indexText(doc.text);
      });
    } else if (message.type === QUERY) {
      message.data = segmenter.queryText(message.data);
    }
    return message;
  }

  addListener("message", function (event) {
    var data = adapt(event.data);
    if (material) material({ data: data });
    else waiting.push(data);
  });

  // Relative to this script: in a worker that is self.location; in iframe-worker's iframe (from
  // file://) the page's address, so this script's own src is used instead.
  var here = typeof document !== "undefined" && document.currentScript
    ? document.currentScript.src : scope.location.href;
  scope.importScripts(new URL(MATERIAL_WORKER, here).href);
})(self);
