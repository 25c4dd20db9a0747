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
  var NOTE = 1001;                               // ours: what a query found and missed, for the page
  var WORD = 1, CHAR = 1.5;                      // cost of a lexicon word and of a lone character
  var STAFF_MARK = "（供发布人员）";
  var EDGE = /^[的了到在和与及把被给对向从用让将是有去来里吗呢吧啊]+/;  // function characters around
  var EDGE_END = /[的了到在和与及把被给对向从用让将是有去来里吗呢吧啊]+$/;  // an unknown piece
  /* Question words and pronouns of everyday Chinese: dropped from queries, never "missing". */
  var STOP = new Set(("怎么 怎样 怎么样 如何 什么 哪些 哪个 哪里 哪儿 为什么 为何 是否 能否 可以 能不能 " +
    "有没有 是不是 要不要 需要 应该 应当 一下 一些 有关 关于 相关 我们 咱们 你们 他们 我的 自己 这个 那个 " +
    "这些 那些 办法 问题 情况 怎么办 怎么弄 咋办 上面 下面 里面 这里 那里 这样 那样 现在 时候").split(" "));

  /* A trie of the lexicon; `cut` finds the cheapest cut of a run (fewest words, lone characters
     cost more), `parts` cuts a word into its smallest lexicon words (memoised). */
  function Segmenter(words, synonyms, pinyin, text) {
    this.root = new Map();
    this.memo = new Map();
    this.synonyms = synonyms || {};   // everyday word -> the guide's term (synonyms.yaml)
    this.pinyin = pinyin || {};       // "yanglao", "yl" -> [养老, ...], most common first
    this.terms = null;                // the guide's terms, for "nearby" (made when first asked)
    this.text = text;                 // all titles and texts, to tell whether the guide holds a word
    words = words.concat(Array.from(STOP));  // cut as words, so they are dropped whole
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

  /* Query side: the query's plan. Each run of Chinese is cut with the same function; its words
     (an everyday word stands for the guide's term) are what is searched: a compound's parts are
     all required (+社区* +社会* +组织*), words are escaped as characters joined by "\\" (see
     above). Common question words (怎么, 如何) and lone characters between words are dropped.
     A word the guide's text does not hold goes to `missing` and is not searched, and so do
     characters the lexicon does not cover, two or more in a row (备案, 三社联动), unless the text
     holds them as typed (内网: jieba left it as two characters), then they are searched as
     required characters. So a word the guide lacks finds nothing, never pages holding one of its
     characters. A query of one character (村) is searched as that character.
     Returns {query: for lunr ("" when nothing can be searched), words: searched, missing}. */
  Segmenter.prototype.plan = function (query) {
    var self = this, typed = this.fromPinyin(query);
    if (typed !== null) return typed;
    function escape(word) { return word.split("").join("\\"); }
    var words = [], missing = [], swapped = false;
    var text = query.replace(HAN, function (run) {
      var terms = [], unknown = "";
      function settle() {
        var piece = unknown.replace(EDGE, "").replace(EDGE_END, "");
        unknown = "";
        if (piece.length >= 2) {
          if (!self.holds(piece)) { missing.push(piece); return; }
          words.push(piece);
          piece.split("").forEach(function (c) { terms.push("+" + c); });
        } else if (piece && run.length === 1) {
          words.push(piece);
          terms.push(piece);
        }
      }
      self.cut(run, true).forEach(function (w) {
        if (w.length === 1) { unknown += w; return; }
        settle();
        if (STOP.has(w)) return;
        var term = self.synonyms[w] || w;  // an everyday word stands for the guide's term
        if (!self.holds(term)) { missing.push(w); return; }
        swapped = swapped || term !== w;
        words.push(term);
        var parts = self.parts(term);
        if (parts.length === 1) { terms.push(escape(term)); return; }
        parts.forEach(function (p) { terms.push("+" + escape(p) + (p.length > 1 ? "*" : "")); });
      });
      settle();
      return " " + terms.join(" ") + " ";
    }).replace(/\s+/g, " ").trim();
    text.split(" ").forEach(function (t) { if (t && !/[\u3400-\u9fff\uf900-\ufaff]/.test(t)) words.push(t); });
    return { query: text, words: words, missing: missing, swapped: swapped };
  };

  /* Whether the guide's text holds `word` as written (always, before the documents are known). */
  Segmenter.prototype.holds = function (word) {
    return typeof this.text !== "string" || this.text.indexOf(word) >= 0;
  };

  /* The lunr query alone (tests and callers that need no plan). */
  Segmenter.prototype.queryText = function (query) {
    return this.plan(query).query;
  };

  /* Pinyin typed without an input method (yanglao, yang lao, yl): the plan of the words it spells;
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
    if (words.length === 1) {
      var one = this.plan(words[0]);
      one.swapped = true;
      return one;
    }
    var terms = [];
    words.forEach(function (w) {
      self.cut(w, true).forEach(function (c) {
        self.parts(c).forEach(function (p) { if (p.length > 1) terms.push(p.split("").join("\\")); });
      });
    });
    return { query: terms.join(" "), words: words.slice(), missing: [], swapped: true, alternatives: true };
  };

  /* Words of the guide near a word it does not hold, for the "not found" note: the guide's terms
     (everyday words stand for theirs) sharing the most characters with it, longer shared runs
     first; at most `n`. With `close`, only terms sharing two characters or more. */
  Segmenter.prototype.nearby = function (word, n, close) {
    var chars = new Set(word.split("")), scored = [];
    this.vocabulary().forEach(function (term) {
      var shared = 0;
      new Set(term.split("")).forEach(function (c) { if (chars.has(c)) shared++; });
      if (!shared || (close && shared < 2)) return;
      var run = 0;
      for (var i = 0; i + 1 < word.length; i++) if (term.indexOf(word.slice(i, i + 2)) >= 0) run++;
      scored.push([run * 10 + shared * 2 - Math.abs(term.length - word.length) / 4, term]);
    });
    scored.sort(function (a, b) { return b[0] - a[0] || (a[1] < b[1] ? -1 : 1); });
    return scored.slice(0, n || 5).map(function (s) { return s[1]; });
  };

  /* The guide's terms: the words pinyin spells (titles, glossary terms, place names) and the
     terms the synonyms lead to. */
  Segmenter.prototype.vocabulary = function () {
    if (this.terms) return this.terms;
    var seen = new Set(), self = this;
    Object.keys(this.pinyin).forEach(function (k) { self.pinyin[k].forEach(function (w) { seen.add(w); }); });
    Object.keys(this.synonyms).forEach(function (k) { seen.add(self.synonyms[k]); seen.delete(k); });
    this.terms = Array.from(seen).filter(function (w) { return self.holds(w); }).sort();
    return this.terms;
  };

  /* Material's result groups (one per page), reordered: pages holding every searched word first;
     among those and among the rest, pages for publishing staff (config.pilotguide.staff) last,
     their title marked; otherwise Material's order. `alternatives`: the words are alternatives
     (a vague pinyin key such as yl), none is expected to hold them all. */
  function arrange(groups, staff, alternatives) {
    function page(group) { return String(group[0] && group[0].location || "").split("#")[0]; }
    function complete(group) {
      return group.some(function (item) {
        var terms = item.terms || {};
        return Object.keys(terms).every(function (t) { return terms[t]; });
      });
    }
    var ranked = groups.map(function (group, i) {
      var forStaff = staff.indexOf(page(group)) >= 0;
      var head = group.filter(function (item) { return item.location === page(group); })[0] || group[0];
      if (forStaff && head && String(head.title).indexOf(STAFF_MARK) < 0) head.title = head.title + STAFF_MARK;
      return [alternatives || complete(group) ? 0 : 1, forStaff ? 1 : 0, i, group];
    });
    ranked.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return ranked.map(function (r) { return r[3]; });
  }

  function clean(value) {
    return typeof value === "string" ? value.split(ZWSP).join("") : value;
  }

  scope.PilotguideSearch = { Segmenter: Segmenter, clean: clean, arrange: arrange, NOTE: NOTE };
  if (typeof scope.importScripts !== "function") return;  // a page (tests), not a worker

  /* ---- inside the worker (or the iframe that iframe-worker uses from file://) ---- */

  var segmenter = new Segmenter([]);
  var staff = [];                      // pages for publishing staff: kept last, marked
  var plan = null;                     // the plan of the query Material is answering
  var material = null;                 // Material's message listener, once registered
  var waiting = [];
  var addListener = scope.addEventListener.bind(scope);
  var post = scope.postMessage;

  scope.addEventListener = function (type, listener, options) {
    if (type !== "message" || material) return addListener(type, listener, options);
    material = listener;
    waiting.splice(0).forEach(function (data) { material({ data: data }); });
  };

  /* After every answer, the note the page shows (assets/search-note.js): what was searched, what
     the guide does not hold, and the guide's words near those. */
  function note(found) {
    if (!plan) return;
    var nearby = [];
    if (!found || plan.missing.length) {
      (plan.missing.length ? plan.missing : [plan.raw]).forEach(function (w) {
        segmenter.nearby(w, 5, found > 0).forEach(function (t) { if (nearby.indexOf(t) < 0) nearby.push(t); });
      });
    }
    post.call(scope, { type: NOTE, data: { query: plan.raw, words: plan.words, missing: plan.missing,
                                          swapped: !!plan.swapped, found: found, nearby: nearby.slice(0, 6) } });
  }

  scope.postMessage = function (message, options) {
    var found = null;
    if (message && message.type === RESULT && message.data && message.data.items) {
      message.data.items.forEach(function (group) {
        group.forEach(function (item) {
          item.title = clean(item.title);
          item.text = clean(item.text);
        });
      });
      message.data.items = arrange(message.data.items, staff, !!(plan && plan.alternatives));
      found = message.data.items.length;
    }
    var sent = post.call(scope, message, options);
    if (found !== null) note(found);
    return sent;
  };

  function adapt(message) {
    if (message.type === SETUP) {
      var config = message.data.config;
      var extra = config.pilotguide || {};
      var text = message.data.docs.map(function (doc) { return doc.title + "\n" + doc.text; }).join("\n");
      segmenter = new Segmenter(extra.lexicon ? extra.lexicon.split(" ") : [], extra.synonyms, extra.pinyin, text);
      staff = extra.staff || [];
      if (config.separator.indexOf("\\u200b") < 0) config.separator = "\\u200b+|" + config.separator;
      message.data.docs.forEach(function (doc) {
        doc.title = segmenter.indexText(doc.title);
        doc.text = segmenter.indexText(doc.text);
      });
    } else if (message.type === QUERY) {
      var raw = String(message.data || "");
      plan = segmenter.plan(raw);
      plan.raw = raw.trim();
      if (!plan.raw) plan = null;
      if (plan && !plan.query) {         // nothing the guide holds: answer "none" without lunr
        scope.postMessage({ type: RESULT, data: { items: [], total: 0 } });
        return null;
      }
      message.data = plan ? plan.query : raw;
    }
    return message;
  }

  addListener("message", function (event) {
    var data = adapt(event.data);
    if (data === null) return;
    if (material) material({ data: data });
    else waiting.push(data);
  });

  // Relative to this script: in a worker that is self.location; in iframe-worker's iframe (from
  // file://) the page's address, so this script's own src is used instead.
  var here = typeof document !== "undefined" && document.currentScript
    ? document.currentScript.src : scope.location.href;
  scope.importScripts(new URL(MATERIAL_WORKER, here).href);
})(self);
