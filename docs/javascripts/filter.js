// The AND filter on /filter/: narrows the catalog's challenges to those with labeled
// posts matching every chosen facet (platform, framework, year) on the same post.
// Works on the static site, from data/filter-index.json; no server. Contributed text
// (titles) is inserted with textContent only, never as HTML.
(function () {
  "use strict";

  // The index layout this script reads (views.FILTER_FORMAT). A browser may cache an
  // old script or index, so any other version is refused rather than miscounted.
  var FORMAT = 2;

  function matching(index, chosen) {
    // Counts, per challenge and rolled up to its ancestors, of posts matching all choices.
    // Posts come grouped by their facets, [year, platform, [framework, ...], posts], with
    // indexes into the value tables, so one test per group decides for all its posts; a
    // post is a label index, or a list of them when it has several.
    var counts = {};
    index.groups.forEach(function (group) {
      var frameworks = group[2].map(function (i) { return index.frameworks[i]; });
      if (chosen.platform && index.platforms[group[1]] !== chosen.platform) return;
      if (chosen.year && String(group[0]) !== chosen.year) return;
      if (chosen.framework && frameworks.indexOf(chosen.framework) < 0) return;
      group[3].forEach(function (post) {
        var seen = {};  // each challenge once per post, though two labels share ancestors
        [].concat(post).forEach(function (n) {
          var label = index.labels[n];
          [label].concat(index.challenges[label].ancestors).forEach(function (id) {
            if (!seen[id]) { seen[id] = true; counts[id] = (counts[id] || 0) + 1; }
          });
        });
      });
    });
    return counts;
  }

  function refuse(root) {
    // Say why the table stays empty, and keep the way to the same data by facet.
    var summary = root.querySelector(".dlc-filter-summary");
    summary.textContent =
      "The filter data is in a format this page cannot read; reload the page, or browse ";
    var link = document.createElement("a");
    link.href = root.dataset.base + "facets/";
    link.textContent = "by facet";
    summary.appendChild(link);
    summary.appendChild(document.createTextNode("."));
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
        if (index.format !== FORMAT) { refuse(root); return; }
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
