// mend's service worker: the app's shell offline, and reminders shown as notifications.
// Pages are never kept (they hold private words and are sent no-store): only the static
// assets, whose addresses carry their content hash, and the offline page, which holds none.
'use strict';
var params = new URL(self.location.href).searchParams;
var SHELL = 'mend-shell-' + (params.get('v') || '0');
var ASSETS = (params.get('assets') || '').split(' ').filter(function (a) { return a.indexOf('/static/') === 0; });

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return cache.addAll(['/offline'].concat(ASSETS));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf('mend-shell-') === 0 && n !== SHELL; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (event) {
  var req = event.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf('/static/') === 0) {
    // content-hashed: what is kept is what the address names
    event.respondWith(caches.open(SHELL).then(function (cache) {
      return cache.match(req).then(function (hit) {
        return hit || fetch(req).then(function (res) {
          if (res.ok && url.search) cache.put(req, res.clone());
          return res;
        });
      });
    }));
    return;
  }
  if (req.mode === 'navigate') {
    event.respondWith(fetch(req).then(function (res) {
      var lang = res.headers.get('Content-Language');
      // a failure to keep it must never turn a page that came into the offline page
      try { if (res.ok && lang) event.waitUntil(offlineIn(lang)); } catch (e) { /* kept at the next page */ }
      return res;
    }).catch(function () {
      return caches.match('/offline');
    }));
  }
});

// The offline page is kept in the reader's language: when a page comes in another one (the
// partner chose a language, or the browser's changed), it is fetched again.
function offlineIn(lang) {
  return caches.open(SHELL).then(function (cache) {
    return cache.match('/offline').then(function (hit) {
      if (hit && hit.headers.get('Content-Language') === lang) return null;
      // the offline page reads no session (it is served without the database), so it is asked
      // for in the language the pages came in
      return fetch('/offline', { headers: { 'Accept-Language': lang } }).then(function (res) {
        return res.ok ? cache.put('/offline', res) : null;
      });
    });
  }).catch(function () { return null; });
}

// A reminder: the server sends no private words unless the partner asked to see titles.
self.addEventListener('push', function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  var title = data.title || 'mend';
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || 'Something is waiting for you in mend',
    icon: '/static/icon-192.png',
    badge: '/static/icon-192.png',
    tag: data.tag || 'mend',
    data: { url: typeof data.url === 'string' && data.url.charAt(0) === '/' ? data.url : '/' }
  }));
});

self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || '/';
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (wins) {
    for (var i = 0; i < wins.length; i++) {
      if (new URL(wins[i].url).origin === self.location.origin && 'focus' in wins[i]) {
        return wins[i].navigate(url).then(function (w) { return w ? w.focus() : null; });
      }
    }
    return self.clients.openWindow(url);
  }));
});
