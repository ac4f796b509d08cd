// The AND filter on /filter/: narrows the catalog's challenges to those with labeled
// posts matching every chosen facet (platform, framework, year) on the same post.
// Works on the static site, from data/filter-index.json; no server. Contributed text
// (titles) is inserted with textContent only, never as HTML.
(function () {
  "use strict";

  function matching(index, chosen) {
    // Counts, per challenge and rolled up to its ancestors, of posts matching all choices.
    var counts = {};
    index.posts.forEach(function (post) {
      if (chosen.platform && post.platform !== chosen.platform) return;
      if (chosen.year && String(post.year) !== chosen.year) return;
      if (chosen.framework && post.frameworks.indexOf(chosen.framework) < 0) return;
      var seen = {};
      post.labels.forEach(function (label) {
        [label].concat(index.challenges[label].ancestors).forEach(function (id) {
          if (!seen[id]) { seen[id] = true; counts[id] = (counts[id] || 0) + 1; }
        });
      });
    });
    return counts;
  }

  function render(root, index) {
    var form = root.querySelector("form");
    var chosen = {};
    ["platform", "framework", "year"].forEach(function (name) {
      chosen[name] = form.elements[name].value;
    });
    var counts = matching(index, chosen);
    var ids = Object.keys(counts).sort(function (a, b) {
      return counts[b] - counts[a] || (a < b ? -1 : 1);
    });
    var body = root.querySelector("tbody");
    body.textContent = "";
    ids.forEach(function (id) {
      var row = document.createElement("tr");
      var name = document.createElement("td");
      var link = document.createElement("a");
      link.href = root.dataset.base + "challenges/" + id + "/";
      link.textContent = index.challenges[id].title;
      name.appendChild(link);
      var code = document.createElement("td");
      code.textContent = id;
      var n = document.createElement("td");
      n.textContent = String(counts[id]);
      row.appendChild(name);
      row.appendChild(code);
      row.appendChild(n);
      body.appendChild(row);
    });
    root.querySelector(".dlc-filter-summary").textContent =
      ids.length === 1 ? "1 challenge matches." : ids.length + " challenges match.";
  }

  function start() {
    var root = document.getElementById("dlc-filter");
    if (!root) return;
    fetch(root.dataset.index)
      .then(function (response) { return response.json(); })
      .then(function (index) {
        root.querySelector("form").addEventListener("change", function () { render(root, index); });
        render(root, index);
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
