// Articles ticked for a Word 摘编, kept in this browser (localStorage) while the user pages, searches and comes back:
// no account needed. Without this script the ticks of one page are sent by the form itself.
(function () {
  "use strict";
  var form = document.getElementById("picked");
  if (!form) { return; }
  var KEY = "searcher.picked";
  var read = function () {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  };
  var write = function (ids) {
    try { window.localStorage.setItem(KEY, JSON.stringify(ids)); } catch (e) { /* private mode: this page only */ }
  };
  var boxes = document.querySelectorAll("input[name=id][form=picked]");
  var count = form.querySelector(".picked-count");
  var clear = form.querySelector(".picked-clear");
  var submit = form.querySelector("button[type=submit]");
  form.querySelector(".picked-note").hidden = false;
  var show = function () {
    var ids = read();
    count.textContent = String(ids.length);
    clear.hidden = ids.length === 0;
    submit.disabled = ids.length === 0;
  };
  var picked = read();
  boxes.forEach(function (box) {
    box.checked = picked.indexOf(box.value) >= 0;
    box.addEventListener("change", function () {
      var ids = read().filter(function (id) { return id !== box.value; });
      if (box.checked) { ids.push(box.value); }
      write(ids);
      show();
    });
  });
  form.addEventListener("submit", function () {
    // Ticked on other pages: sent too, in the order they were ticked.
    form.querySelectorAll("input.carried").forEach(function (input) { input.remove(); });
    var here = {};
    boxes.forEach(function (box) { here[box.value] = true; });
    read().forEach(function (id) {
      if (here[id]) { return; }
      var input = document.createElement("input");
      input.type = "hidden"; input.name = "id"; input.value = id; input.className = "carried";
      form.appendChild(input);
    });
  });
  clear.addEventListener("click", function () {
    write([]);
    boxes.forEach(function (box) { box.checked = false; });
    show();
  });
  show();
})();
