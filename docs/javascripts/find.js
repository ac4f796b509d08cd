// "Find your challenge" on /find/: ranks the catalog's challenges for a pasted error
// message or a description of a problem, in the browser, from data/suggest-index.json.
// The index is fetched from this site when the page loads; what the reader types is never
// sent anywhere. The ranking follows generator/analysis/siteindex.py (rank_with_index)
// step for step, so the tests and the accuracy page measure what readers get.
// Contributed text (titles) is inserted with textContent only, never as HTML.
(function () {
  "use strict";

  // The index layout this script reads (siteindex.SUGGEST_FORMAT); a browser may cache an
  // old script or index, so any other version is refused rather than misranked.
  var FORMAT = 2;
  var SCALE = 10000;  // weights are stored in ten-thousandths (siteindex.SCALE)
  var TOP = 10;  // results listed
  var MATCHED = 5;  // matched words shown per result (siteindex.MATCHED_TERMS)
  // The suggester's words: two or more characters starting with a letter. Python's \b
  // counts any Unicode letter or number as part of a word, JavaScript's only ASCII ones
  // (even with the u flag), so the boundaries are spelled out with Unicode classes.
  var WORD = /(?<![\p{L}\p{N}_])[a-zA-Z][a-zA-Z0-9_]+(?![\p{L}\p{N}_])/gu;

  function query(index, position, text) {
    // The text's indexed terms, weighted (1 + ln count) × idf and scaled to length 1.
    // Maps, not objects: a word such as "constructor" must not find Object's properties.
    var counts = new Map();
    (text.toLowerCase().match(WORD) || []).forEach(function (word) {
      if (!position.has(word)) return;
      var t = position.get(word);
      counts.set(t, (counts.get(t) || 0) + 1);
    });
    var terms = Array.from(counts.keys()).sort(function (a, b) { return a - b; });
    var weights = new Map();
    var total = 0;
    terms.forEach(function (t) {
      var w = (1 + Math.log(counts.get(t))) * index.idf[t];
      weights.set(t, w);
      total += w * w;
    });
    var norm = Math.sqrt(total);
    var normalized = new Map();
    if (norm) weights.forEach(function (w, t) { normalized.set(t, w / norm); });
    return normalized;
  }

  function rank(index, position, text) {
    var q = query(index, position, text);
    // Each challenge's own match, term by term; its score is the mean of its own match
    // and its parent's (challenge.parent, its own position for a root).
    var matched = index.challenges.map(function (challenge) {
      var parts = [];
      var own = 0;
      challenge.weights.forEach(function (pair) {
        if (!q.has(pair[0])) return;
        var part = q.get(pair[0]) * (pair[1] / SCALE);
        parts.push([pair[0], part]);
        own += part;
      });
      return { parts: parts, own: own };
    });
    var found = [];
    index.challenges.forEach(function (challenge, i) {
      var parts = matched[i].parts;
      if (matched[i].own > 0) {
        parts.sort(function (a, b) {
          var x = index.terms[a[0]], y = index.terms[b[0]];
          return b[1] - a[1] || (x < y ? -1 : x > y ? 1 : 0);
        });
        found.push({
          challenge: challenge,
          score: (matched[i].own + matched[challenge.parent].own) / 2,
          words: parts.slice(0, MATCHED).map(function (p) { return index.terms[p[0]]; }),
        });
      }
    });
    found.sort(function (a, b) {
      var x = a.challenge.id, y = b.challenge.id;
      return b.score - a.score || (x < y ? -1 : x > y ? 1 : 0);
    });
    return found;
  }

  function say(root, text) {
    root.querySelector(".dlc-find-summary").textContent = text;
  }

  function show(root, index, position) {
    var text = root.querySelector("textarea").value;
    var list = root.querySelector(".dlc-find-results");
    list.textContent = "";
    if (!text.trim()) {
      say(root, "Paste an error message or describe the problem first.");
      return;
    }
    var found = rank(index, position, text);
    if (!found.length) {
      say(root, "No challenge shares a word with your text: describe the problem in more words.");
      return;
    }
    found.slice(0, TOP).forEach(function (result) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.className = "dlc-find-title";
      link.href = root.dataset.base + result.challenge.page;
      link.textContent = result.challenge.title;
      var meta = document.createElement("span");
      meta.className = "dlc-find-meta";
      meta.textContent = result.challenge.id + " · score " + result.score.toFixed(3) +
        " · matched: " + result.words.join(", ");
      item.appendChild(link);
      item.appendChild(meta);
      list.appendChild(item);
    });
    var shown = Math.min(TOP, found.length);
    say(root, (found.length === 1 ? "1 challenge shares" : found.length + " challenges share") +
      " words with your text" + (found.length > shown ? "; the best " + shown + " are listed" : "") +
      ", best first.");
  }

  function start() {
    var root = document.getElementById("dlc-find");
    if (!root) return;
    var button = root.querySelector("button");
    fetch(root.dataset.index)
      .then(function (response) { return response.json(); })
      .then(function (index) {
        if (index.format !== FORMAT) {
          say(root, "The ranking data is in a format this page cannot read; reload the page, " +
            "or use the search box.");
          return;
        }
        var position = new Map();
        index.terms.forEach(function (term, i) { position.set(term, i); });
        button.disabled = false;
        button.addEventListener("click", function () { show(root, index, position); });
        root.querySelector("textarea").addEventListener("keydown", function (event) {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) show(root, index, position);
        });
        say(root, "Ready: paste your text and press Find challenges (or Ctrl+Enter).");
      })
      .catch(function () {
        say(root, "The ranking data could not be loaded; reload the page, or use the search box.");
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
