// Live reload for `mitnutzung serve`. Injected only into served pages, never into `build` output.
(function () {
  "use strict";
  var scrollKey = "mitnutzung-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    var restore = function () {
      window.scrollTo(0, parseInt(saved, 10) || 0);
    };
    window.addEventListener("load", restore);
    if (document.fonts) {
      document.fonts.ready.then(restore);
    }
  }

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  function swapStylesheets(paths) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href, location.href);
      if (paths.indexOf(url.pathname) !== -1) {
        url.searchParams.set("v", String(Date.now()));
        links[i].href = url.toString();
      }
    }
  }

  var here = decodeURI(location.pathname);
  var source = new EventSource("/__mitnutzung/events");
  source.addEventListener("open", function () {
    document.documentElement.setAttribute("data-live-reload", "verbunden");
  });
  source.addEventListener("reload", function (event) {
    var change = JSON.parse(event.data);
    if (change.css_only) {
      swapStylesheets(change.paths);
    } else if (change.errors_changed || change.paths.indexOf(here) !== -1) {
      reload();
    }
  });
})();
