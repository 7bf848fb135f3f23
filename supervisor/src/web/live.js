// Follows the daemon's live events and, on each (at most every 300 ms), fetches this page
// again and swaps its content in, so runs starting, orders filling and runs finishing show
// without a reload. The header says whether live updates are on.
(function () {
  var status = document.getElementById("live");
  var updates = 0;
  var pending = null;
  function show(text) { if (status) { status.textContent = "live updates: " + text; } }
  function refresh() {
    if (pending) { return; }
    pending = setTimeout(function () {
      pending = null;
      fetch(location.href, { headers: { Accept: "text/html" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.querySelector("main");
          var current = document.querySelector("main");
          if (fresh && current) {
            current.replaceWith(fresh);
            updates += 1;
            document.body.setAttribute("data-updates", String(updates));
          }
        })
        .catch(function () {});
    }, 300);
  }
  if (!window.EventSource) { return; }
  var source = new EventSource("/api/events");
  source.onopen = function () { show("on"); };
  source.onerror = function () { show("reconnecting"); };
  ["run", "order", "missed"].forEach(function (name) {
    source.addEventListener(name, refresh);
  });
})();
