/* Cầu Nối's service worker (no framework): the pages a signed-in person opened stay readable
   without signal, and forms sent without signal wait on the phone and go when it returns.
   - GET pages: network first; a copy is kept (with the time) and served when there is no
     network, marked by <meta name="caunoi-saved"> for the page script to say "saved at hh:mm".
   - Static files: cache first.
   - POST forms: sent at once; without network the body is kept in IndexedDB and the person is
     taken back to the page with ?cho-gui=1. Each form carries its one-time key (`submission`),
     so a form sent twice (a retry, a flaky signal) is recorded once by the server.
   - Replayed when the signal returns: a redirect is "sent"; the sign-in page, a 403 (the form's
     token expired), the form shown again (200), 404/409/410 are "refused" with their reason and
     wait for the person to send again (with a fresh token) or drop; a 5xx stays to send later.
   Served at /sw.js by caunoi.core.views.service_worker (scope "/"). */
"use strict";
var PAGES = "caunoi-pages-v1", STATIC = "caunoi-static-v1", KEEP = 40;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (e) { e.waitUntil(self.clients.claim()); });

function db() {
  return new Promise(function (ok, ko) {
    var r = indexedDB.open("caunoi", 1);
    r.onupgradeneeded = function () {
      r.result.createObjectStore("outbox", { keyPath: "key" });
      r.result.createObjectStore("sent", { keyPath: "key" });
    };
    r.onsuccess = function () { ok(r.result); };
    r.onerror = function () { ko(r.error); };
  });
}
function store(name, mode, work) {
  return db().then(function (d) {
    return new Promise(function (ok, ko) {
      var t = d.transaction(name, mode), out = work(t.objectStore(name));
      t.oncomplete = function () { ok(out && out.result); };
      t.onerror = function () { ko(t.error); };
    });
  });
}
function all(name) { return store(name, "readonly", function (s) { return s.getAll(); }); }

function keepPage(request, response) {
  var copy = response.clone();
  return copy.text().then(function (html) {
    var saved = new Date().toISOString(),
        marked = html.replace("</head>", '<meta name="caunoi-saved" content="' + saved + '"></head>');
    return caches.open(PAGES).then(function (c) {
      return c.put(request.url.split("#")[0], new Response(marked, {
        headers: { "Content-Type": "text/html; charset=utf-8" } })).then(function () {
        return c.keys().then(function (keys) {
          return Promise.all(keys.slice(0, Math.max(keys.length - KEEP, 0)).map(function (k) {
            return c.delete(k); }));
        });
      });
    });
  });
}

function page(event) {
  var req = event.request;
  return fetch(req).then(function (res) {
    var html = (res.headers.get("Content-Type") || "").indexOf("text/html") === 0;
    if (res.ok && html && !res.redirected) { event.waitUntil(keepPage(req, res)); }
    event.waitUntil(flush());
    return res;
  }).catch(function () {
    return caches.open(PAGES).then(function (c) {
      return c.match(req.url.split("#")[0], { ignoreSearch: true }).then(function (hit) {
        return hit || c.match("/cho-gui/").then(function (q) {
          return q || new Response("<!doctype html><title>Cầu Nối</title><p>Offline.</p>",
            { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
        });
      });
    });
  });
}

function post(event) {
  var req = event.request, copy = req.clone();
  return fetch(req).catch(function () {
    return copy.text().then(function (body) {
      var params = new URLSearchParams(body), key = params.get("submission");
      if (!key) { key = "k" + Date.now() + Math.random().toString(36).slice(2); }
      var item = { key: key, url: req.url, body: body, at: new Date().toISOString(),
                   type: req.headers.get("Content-Type"), label: event.request.referrer || req.url };
      return store("outbox", "readwrite", function (s) { return s.put(item); }).then(function () {
        var back = new URL(req.referrer || "/", self.location.origin);
        back.searchParams.set("cho-gui", "1");
        return Response.redirect(back.href, 303);
      });
    });
  });
}

var flushing = null;
function flush() {
  if (flushing) { return flushing; }
  flushing = all("outbox").then(function (items) {
    return items.reduce(function (chain, item) {
      return chain.then(function () {
        return fetch(item.url, { method: "POST", body: item.body, credentials: "same-origin",
                                 headers: { "Content-Type": item.type } })
          .then(function (res) {
            if (res.status >= 500) { return; }  // the server is unwell: stays, sent later
            var signin = new URL(res.url).pathname.indexOf("/dang-nhap/") === 0;
            item.ok = res.redirected && !signin;
            item.why = item.ok ? "" : signin ? "signin" : ({ 403: "csrf", 404: "gone", 410: "gone",
              409: "conflict", 200: "form" })[res.status] || "other";
            item.sentAt = new Date().toISOString();
            return store("sent", "readwrite", function (s) { return s.put(item); }).then(function () {
              return store("outbox", "readwrite", function (s) { return s.delete(item.key); });
            });
          });
      });
    }, Promise.resolve());
  }).catch(function () { /* still no signal: try again later */ }).then(function () {
    flushing = null;
    return self.clients.matchAll().then(function (cs) {
      cs.forEach(function (c) { c.postMessage({ caunoi: "flushed" }); });
    });
  });
  return flushing;
}

function get(name, key) { return store(name, "readonly", function (s) { return s.get(key); }); }
// Send a refused form again: with the token of the form page as it is now (the old one may have
// expired with the session), under the same one-time key, so it still records once.
function retry(key) {
  return get("sent", key).then(function (item) {
    if (!item) { return; }
    return fetch(item.label, { credentials: "same-origin" }).then(function (res) {
      return res.text().then(function (html) {
        var token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html);
        if (token && (item.type || "").indexOf("urlencoded") > 0) {
          var params = new URLSearchParams(item.body);
          params.set("csrfmiddlewaretoken", token[1]);
          item.body = params.toString();
        }
        delete item.sentAt; delete item.why; item.ok = false;
        return store("outbox", "readwrite", function (s) { return s.put(item); });
      });
    }).then(function () {
      return store("sent", "readwrite", function (s) { return s.delete(key); });
    }).then(flush);
  });
}

self.addEventListener("message", function (e) {
  if (e.data === "flush") { e.waitUntil(flush()); }
  if (e.data && e.data.retry) { e.waitUntil(retry(e.data.retry)); }
  if (e.data && e.data.drop) {
    e.waitUntil(store("sent", "readwrite", function (s) { return s.delete(e.data.drop); }).then(flush));
  }
  if (e.data === "forget") {  // signing out: nothing of this person stays on the phone
    e.waitUntil(Promise.all([caches.delete(PAGES), store("outbox", "readwrite", function (s) {
      return s.clear(); }), store("sent", "readwrite", function (s) { return s.clear(); })]));
  }
});

self.addEventListener("fetch", function (e) {
  var req = e.request, url = new URL(req.url);
  if (url.origin !== self.location.origin) { return; }
  if (req.method === "POST" && req.mode === "navigate") {
    // Sent to the server as is; kept only when the network cannot be reached.
    if (url.pathname.indexOf("/dang-") === 0 || url.pathname.indexOf("/i18n/") === 0) { return; }
    e.respondWith(post(e));
  } else if (req.method === "GET" && url.pathname.indexOf("/static/") === 0) {
    e.respondWith(caches.open(STATIC).then(function (c) {
      return c.match(req).then(function (hit) {
        return hit || fetch(req).then(function (res) {
          if (res.ok) { c.put(req, res.clone()); }
          return res;
        });
      });
    }));
  } else if (req.method === "GET" && req.mode === "navigate") {
    e.respondWith(page(e));
  }
});
