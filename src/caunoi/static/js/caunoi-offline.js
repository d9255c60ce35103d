/* The page side of working without signal (see sw.js): registers the service worker, says
   "saved at hh:mm" on a page served from the phone, gives each form shown from the phone a new
   one-time key, sends what waits when the signal returns, lists it on /cho-gui/ in words (noted
   at submit under the form's key), offers to send a refused one again or drop it, and forgets
   everything on sign-out. Pages work the same without it. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) { return; }
  var me = document.currentScript, say = me ? me.dataset : {};
  navigator.serviceWorker.register("/sw.js", { scope: "/" });

  function hhmm(iso) {
    var d = new Date(iso);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }
  function note(text, link) {
    var main = document.getElementById("main"), p = document.createElement("p");
    p.className = "msg offline";
    p.setAttribute("role", "status");
    p.textContent = text;
    if (link && say.waiting && say.see) {
      var a = document.createElement("a");
      a.href = say.waiting;
      a.textContent = say.see;
      p.appendChild(document.createTextNode(" "));
      p.appendChild(a);
    }
    if (main) { main.insertBefore(p, main.firstChild); }
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }
  function flush() {
    var sw = navigator.serviceWorker.controller;
    if (sw && navigator.onLine) { sw.postMessage("flush"); }
  }

  var saved = document.querySelector('meta[name="caunoi-saved"]');
  if (saved && say.saved) {
    note(say.saved.replace("{time}", hhmm(saved.content)));
    // A form shown again from the phone must not reuse the key of the last one sent from it.
    document.querySelectorAll('input[name="submission"]').forEach(function (i) { i.value = newKey(); });
  }
  if (/[?&]cho-gui=1/.test(location.search) && say.queued) { note(say.queued, true); }

  var LABEL = "caunoi-label:";
  function text(el) { return ((el && (el.textContent || el.value)) || "").replace(/\s+/g, " ").trim(); }
  // "Record · Add a contribution — Household: …, Amount: …"
  function describe(form, button) {
    var h1 = document.querySelector("main h1, h1"), fields = [];
    form.querySelectorAll("input, select, textarea").forEach(function (el) {
      var label = el.labels && el.labels[0], v = el.tagName === "SELECT" && el.selectedIndex >= 0 ?
        text(el.options[el.selectedIndex]) : el.value;
      if (!label || !v || /hidden|password|submit/.test(el.type) ||
          (/checkbox|radio/.test(el.type) && !el.checked)) { return; }
      fields.push(/checkbox|radio/.test(el.type) ? text(label) :
        text(label).replace(/[:*]$/, "") + ": " + (v.length > 40 ? v.slice(0, 40) + "…" : v));
    });
    return form.dataset.offlineLabel || [text(button), text(h1)].filter(Boolean).join(" · ") +
      (fields.length ? " — " + fields.slice(0, 4).join(", ") : "");
  }
  document.addEventListener("submit", function (e) {
    var form = e.target, key = form.querySelector('input[name="submission"]');
    if (form.action.indexOf("/dang-xuat/") > 0) {
      var sw = navigator.serviceWorker.controller;
      if (sw) { sw.postMessage("forget"); }
      Object.keys(localStorage).forEach(function (k) { if (k.indexOf(LABEL) === 0) { localStorage.removeItem(k); } });
    } else if (key && key.value) {
      try { localStorage.setItem(LABEL + key.value, describe(form, e.submitter)); } catch (err) { /* full */ }
    }
  }, true);

  function button(li, name, message) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = name;
    b.addEventListener("click", function () {
      var sw = navigator.serviceWorker.controller;
      if (sw) { b.disabled = true; sw.postMessage(message); }
    });
    li.appendChild(document.createTextNode(" "));
    li.appendChild(b);
  }
  function list(id, items, empty) {
    var ul = document.getElementById(id), why = ul && ul.dataset;
    if (!ul) { return; }
    ul.textContent = "";
    items.forEach(function (it) {
      var li = document.createElement("li"), a = document.createElement("a"),
          words = localStorage.getItem(LABEL + it.key);
      a.href = it.label;
      a.textContent = words || new URL(it.label, location.href).pathname;
      li.textContent = hhmm(it.sentAt || it.at) + " · ";
      li.appendChild(a);
      if (it.sentAt && !it.ok) {
        var p = document.createElement("p");
        p.className = "msg msg-error";
        p.textContent = why[it.why] || why.other || say.refused || "";
        li.appendChild(p);
        if (why.retry) { button(li, why.retry, { retry: it.key }); }
        if (why.drop) { button(li, why.drop, { drop: it.key }); }
      }
      ul.appendChild(li);
    });
    if (!items.length) { var li = document.createElement("li"); li.textContent = empty; ul.appendChild(li); }
  }
  function show() {
    if (!document.getElementById("outbox-list")) { return; }
    var r = indexedDB.open("caunoi", 1);
    r.onupgradeneeded = function () {
      r.result.createObjectStore("outbox", { keyPath: "key" });
      r.result.createObjectStore("sent", { keyPath: "key" });
    };
    r.onsuccess = function () {
      var t = r.result.transaction(["outbox", "sent"]), w = t.objectStore("outbox").getAll(),
          s = t.objectStore("sent").getAll();
      t.oncomplete = function () {
        list("outbox-list", w.result, say.nothing || "—");
        list("sent-list", s.result.sort(function (a, b) { return a.sentAt < b.sentAt ? 1 : -1; }).slice(0, 20),
             say.nothing || "—");
      };
    };
  }
  navigator.serviceWorker.addEventListener("message", function (e) {
    if (e.data && e.data.caunoi === "flushed") { show(); }
  });
  window.addEventListener("online", flush);
  flush();
  show();
})();
