// Chekara HQ console: keeps the overview's numbers live. Served from the
// binary; no other script runs in the console.
(function () {
  "use strict";
  var box = document.getElementById("live");
  if (!box) { return; }
  var url = box.getAttribute("data-live");
  function refresh() {
    fetch(url, { credentials: "same-origin", redirect: "manual" }).then(function (res) {
      if (res.type === "opaqueredirect" || res.status === 401) {
        window.location.assign("/signin"); // the session ended
        return null;
      }
      return res.ok ? res.text() : null;
    }).then(function (html) {
      if (html) { box.innerHTML = html; }
    }).catch(function () { /* HQ unreachable for a moment: keep the last numbers */ });
  }
  window.setInterval(refresh, 5000);
})();
