/* The search on /suche/: Pagefind's own UI (pagefind/pagefind-ui.js, written
   by the build with the index, Pagefind 1.6.0, MIT licence), mounted in
   #suche-ergebnisse with the query of the address (?q=, from the header's
   search form). Without JavaScript, or with `search: false` (no pagefind/
   folder), the element stays hidden and the A–Z index below does the job.
   Everything is loaded from this site; nothing else is requested. */
(function () {
  "use strict";
  var mount = document.getElementById("suche-ergebnisse");
  var me = document.currentScript;
  if (!mount || !me) return;
  // This file is <base>js/suche.js: the base path (also under a sub-path).
  var base = new URL(me.src, document.baseURI).pathname.replace(/js\/suche\.js$/, "");
  var bundle = base + "pagefind/";

  function load(tag, attrs, done) {
    var el = document.createElement(tag);
    for (var k in attrs) el.setAttribute(k, attrs[k]);
    if (done) el.addEventListener("load", done);
    document.head.appendChild(el);
  }

  // Results are announced: Pagefind's message ("3 Ergebnisse für …") is
  // copied into a polite live region once the results have settled.
  // Pagefind's filter checkboxes take the filter's value as their id, and
  // an id holds no spaces (HTML): the id and its label's `for` get "_".
  function fixIds() {
    var boxes = mount.querySelectorAll(".pagefind-ui__filter-checkbox[id*=' ']");
    for (var i = 0; i < boxes.length; i++) {
      var label = mount.querySelector('label[for="' + CSS.escape(boxes[i].id) + '"]');
      boxes[i].id = boxes[i].id.replace(/\s/g, "_");
      if (label) label.htmlFor = boxes[i].id;
    }
  }

  function announce(status) {
    var timer;
    new MutationObserver(function () {
      fixIds();
      clearTimeout(timer);
      timer = setTimeout(function () {
        var message = mount.querySelector(".pagefind-ui__message");
        var text = message ? message.textContent.trim() : "";
        if (status.textContent !== text) status.textContent = text;
      }, 400);
    }).observe(mount, { childList: true, subtree: true, characterData: true });
  }

  function start() {
    if (typeof PagefindUI !== "function") return;
    var status = document.createElement("p");
    status.className = "kern-sr-only search-results__status";
    status.setAttribute("role", "status");
    var ui = new PagefindUI({
      element: "#suche-ergebnisse",
      bundlePath: bundle,
      baseUrl: "/",
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      excerptLength: 30,
      translations: {
        placeholder: "",
        search_label: "Suchbegriff",
        filters_label: "Ergebnisse eingrenzen",
        clear_search: "Löschen",
      },
      processResult: function (result) {
        // The result text is the page's description when it has one.
        // (It is then no tag of its own: Pagefind shows every other meta
        // value as "Name: Wert" below the result.)
        var d = result.meta && result.meta.description;
        if (d) result.excerpt = d.replace(/[&<>"]/g, function (c) {
          return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
        });
        if (result.meta) delete result.meta.description;
        return result;
      },
    });
    mount.hidden = false;
    mount.parentNode.insertBefore(status, mount.nextSibling);
    announce(status);
    // A visible label of its own (Pagefind names the field by its
    // placeholder only, and a placeholder is no label).
    var input = mount.querySelector(".pagefind-ui__search-input");
    if (input) {
      input.id = "suche_begriff";
      input.removeAttribute("title");
      var label = document.createElement("label");
      label.className = "kern-label search-results__label";
      label.htmlFor = input.id;
      label.textContent = "Suchbegriff";
      var form = input.closest("form") || input.parentNode;
      form.parentNode.insertBefore(label, form);
    }
    var q = new URLSearchParams(location.search).get("q");
    if (q && q.trim()) ui.triggerSearch(q.trim());
  }

  load("link", { rel: "stylesheet", href: bundle + "pagefind-ui.css" });
  load("script", { src: bundle + "pagefind-ui.js" }, start);
})();
