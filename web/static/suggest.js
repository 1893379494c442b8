// Completions for the search box from /api/suggest. The page works the same without this script:
// the box is a plain GET form and the <datalist> simply stays empty.
(function () {
  "use strict";
  var box = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (!box || !list || !window.fetch) { return; }
  var timer = null;
  var last = "";
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var words = box.value.split(/\s+/);
      var prefix = words[words.length - 1];
      if (!prefix || prefix === last) { return; }
      last = prefix;
      fetch(box.dataset.suggest + "?q=" + encodeURIComponent(prefix))
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          var head = words.slice(0, -1).join(" ");
          list.replaceChildren();
          data.suggestions.forEach(function (word) {
            var option = document.createElement("option");
            option.value = head ? head + " " + word : word;
            list.appendChild(option);
          });
        })
        .catch(function () { list.replaceChildren(); });
    }, 150);
  });
})();
