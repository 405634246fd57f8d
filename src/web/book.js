// The web edition's script: notes beside the text or in a popup, and the
// offline search. Without it every note link still jumps to its note and
// back, and the search box stays hidden.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main) return;
  var wide = window.matchMedia("(min-width: 1100px)");

  // --- Notes -------------------------------------------------------------
  function notes() {
    return Array.prototype.slice.call(main.querySelectorAll('aside[role="doc-footnote"]'));
  }
  function refOf(note) {
    return document.getElementById(note.id.replace(/^fn/, "fnref"));
  }

  // Beside their reference, never overlapping the note above.
  function placeNotes() {
    var list = notes();
    if (!wide.matches) {
      document.body.classList.remove("sidenotes");
      list.forEach(function (n) { n.style.top = ""; });
      return;
    }
    document.body.classList.add("sidenotes");
    var origin = main.getBoundingClientRect().top;
    var bottom = 0;
    list.forEach(function (n) {
      var ref = refOf(n);
      var top = ref ? ref.getBoundingClientRect().top - origin - 4 : bottom;
      top = Math.max(top, bottom);
      n.style.top = top + "px";
      bottom = top + n.getBoundingClientRect().height + 12;
    });
    // The last notes may reach below the text.
    main.style.minHeight = bottom ? bottom + "px" : "";
  }

  var popup = document.createElement("div");
  popup.className = "popup";
  popup.setAttribute("role", "dialog");
  popup.hidden = true;
  var body = document.createElement("div");
  var close = document.createElement("button");
  close.type = "button";
  close.className = "close";
  close.textContent = "×";
  close.setAttribute("aria-label", "×");
  popup.appendChild(close);
  popup.appendChild(body);
  document.body.appendChild(popup);
  var opener = null;

  function openNote(link, note) {
    body.textContent = "";
    var copy = note.cloneNode(true);
    // The copy must not repeat the ids of the page.
    [copy].concat(Array.prototype.slice.call(copy.querySelectorAll("[id]")))
      .forEach(function (e) { e.removeAttribute("id"); });
    while (copy.firstChild) body.appendChild(copy.firstChild);
    popup.setAttribute("aria-label", (main.dataset.note || "") + " " + link.textContent);
    popup.hidden = false;
    opener = link;
    close.focus();
  }
  function closeNote() {
    if (popup.hidden) return;
    popup.hidden = true;
    if (opener) opener.focus();
    opener = null;
  }
  close.addEventListener("click", closeNote);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") closeNote();
  });
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest('a[role="doc-noteref"]');
    if (link) {
      var note = document.getElementById((link.getAttribute("href") || "").replace(/^.*#/, ""));
      // On a wide screen the note already stands beside its reference.
      if (note && !wide.matches) {
        e.preventDefault();
        openNote(link, note);
      }
      return;
    }
    if (!popup.contains(e.target)) closeNote();
  });

  function relayout() { placeNotes(); if (wide.matches) closeNote(); }
  window.addEventListener("resize", relayout);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(relayout);
  window.addEventListener("load", relayout);
  relayout();

  // --- Search ------------------------------------------------------------
  var data = window.TSIGNI_SEARCH;
  var box = document.getElementById("search");
  var results = document.getElementById("search-results");
  if (!data || !box || !results) return;
  box.parentNode.hidden = false;
  var words = data.words;

  function terms(text) {
    return (text.toLowerCase().match(/[\p{Alphabetic}\p{N}]+/gu) || []);
  }
  // Paragraphs holding a word that starts with `prefix`: the words are
  // sorted, so they stand together from the first one not below it.
  function matching(prefix) {
    var lo = 0, hi = words.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (words[mid][0] < prefix) lo = mid + 1; else hi = mid;
    }
    var found = new Set();
    for (var i = lo; i < words.length && words[i][0].lastIndexOf(prefix, 0) === 0; i++) {
      words[i][1].forEach(function (p) { found.add(p); });
    }
    return found;
  }
  function highlight(el, text, ts) {
    var re = new RegExp("(" + ts.map(function (t) {
      return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|") + ")[\\p{Alphabetic}\\p{N}]*", "giu");
    var last = 0, m;
    while ((m = re.exec(text))) {
      el.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      el.appendChild(mark);
      last = m.index + m[0].length;
    }
    el.appendChild(document.createTextNode(text.slice(last)));
  }
  function search() {
    var ts = terms(box.value);
    results.textContent = "";
    if (!ts.length) { results.hidden = true; return; }
    var hits = null;
    ts.forEach(function (t) {
      var m = matching(t);
      hits = hits ? new Set(Array.from(hits).filter(function (p) { return m.has(p); })) : m;
    });
    var list = Array.from(hits).sort(function (a, b) { return a - b; }).slice(0, 50);
    if (!list.length) {
      var none = document.createElement("p");
      none.textContent = results.dataset.none || "";
      results.appendChild(none);
    }
    list.forEach(function (p) {
      var para = data.paras[p], page = data.pages[para[0]];
      var a = document.createElement("a");
      a.href = page[0] + "#" + para[1];
      var where = document.createElement("span");
      where.className = "where";
      where.textContent = page[1];
      a.appendChild(where);
      highlight(a, para[2], ts);
      results.appendChild(a);
    });
    results.hidden = false;
  }
  box.addEventListener("input", search);
  results.addEventListener("click", function () { results.hidden = true; });
  box.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { box.value = ""; search(); }
    if (e.key === "Enter") {
      var first = results.querySelector("a");
      if (first) first.click();
    }
  });
  document.addEventListener("click", function (e) {
    if (!box.parentNode.contains(e.target)) results.hidden = true;
  });
})();
