// "复制本文链接": copies the article's address (with the paragraph in the address bar, if one is chosen).
// Without this script the control is a plain link to the article, which can be copied from the browser.
(function () {
  "use strict";
  document.querySelectorAll("a[data-copy]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!navigator.clipboard) { return; }
      event.preventDefault();
      navigator.clipboard.writeText(link.href + window.location.hash).then(function () {
        link.textContent = "已复制链接";
      }, function () { window.location.href = link.href; });
    });
  });
})();
