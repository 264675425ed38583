// mend: progressive enhancement only; every page works without this file.
'use strict';
var me = document.currentScript;

// The service worker (static/sw.js): the app's shell offline, and reminders. Its address names
// the assets this page uses, so a new build brings a new worker and a new cache.
// Registered once the page has loaded, so its start-up never delays the page's first use.
if ('serviceWorker' in navigator && me && me.getAttribute('data-sw')) {
  var assets = [].map.call(document.querySelectorAll('link[rel=stylesheet], link[rel=icon], link[rel=apple-touch-icon], script[src]'),
    function (el) { var u = new URL(el.href || el.src, location.href); return u.pathname + u.search; }).join(' ');
  var v = 5381;
  for (var i = 0; i < assets.length; i++) v = (v * 33 + assets.charCodeAt(i)) >>> 0;
  var worker = '/sw.js?' + new URLSearchParams({ v: me.getAttribute('data-sw') + '-' + v.toString(36), assets: assets });
  window.addEventListener('load', function () {
    navigator.serviceWorker.register(worker, { scope: '/' }).catch(function () {});
  });
}

// Drafts: what is written in a journal entry, an answer or a check-in while the connection is
// gone is kept on this device, marked "not sent yet", and sent when the connection is back
// (with the token of the page then open; a refused one stays, to be written again).
var DRAFTS = 'mend-drafts';
function drafts() {
  try { return JSON.parse(localStorage.getItem(DRAFTS) || '[]'); } catch (e) { return []; }
}
function keepDrafts(list) {
  try {
    if (list.length) localStorage.setItem(DRAFTS, JSON.stringify(list)); else localStorage.removeItem(DRAFTS);
  } catch (e) { /* storage refused: nothing more can be done here */ }
}
function markDrafts() {
  var n = drafts().length, note = document.getElementById('drafts-note'), main = document.getElementById('main');
  if (!n) { if (note) note.parentNode.removeChild(note); return; }
  if (!note && main) {
    note = document.createElement('p');
    note.id = 'drafts-note';
    note.className = 'notice draft';
    note.setAttribute('role', 'status');
    main.insertBefore(note, main.firstChild);
  }
  if (note) note.textContent = 'Not sent yet: ' + (n === 1 ? 'one draft is' : n + ' drafts are') +
    ' kept on this device and sent when the connection is back.';
}
var sending = false;
function sendDrafts() {
  var token = document.querySelector('input[name=csrf]'), list = drafts();
  if (sending || !navigator.onLine || !token || !list.length) return;
  sending = true;
  var body = new URLSearchParams(list[0].fields);
  body.set('csrf', token.value);
  fetch(list[0].action, { method: 'POST', body: body, credentials: 'same-origin' }).then(function (res) {
    sending = false;
    if (!res.redirected) return; // refused or not saved: it stays
    keepDrafts(drafts().slice(1));
    markDrafts();
    sendDrafts();
  }, function () { sending = false; });
}

document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('form[data-draft]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      if (navigator.onLine) return;
      e.preventDefault();
      var fields = [];
      new FormData(form).forEach(function (value, name) {
        if (name !== 'csrf' && typeof value === 'string') fields.push([name, value]);
      });
      // the button pressed says who may read it ("Keep private" or "Share with ...")
      if (e.submitter && e.submitter.name) fields.push([e.submitter.name, e.submitter.value]);
      var list = drafts();
      list.push({ action: form.getAttribute('action'), fields: fields, at: Date.now() });
      keepDrafts(list);
      form.reset();
      markDrafts();
    });
  });
  // Reminders on this phone: the browser subscribes with the server's key, and the account
  // page keeps the subscription (what it holds is the browser's address at its push service).
  var pushButton = document.querySelector('[data-push-key]');
  if (pushButton && 'serviceWorker' in navigator && 'PushManager' in window && pushButton.getAttribute('data-push-key')) {
    pushButton.parentNode.hidden = false;
    var off = document.querySelector('.push-off');
    if (off) off.hidden = true;
    pushButton.addEventListener('click', function () {
      var token = document.querySelector('input[name=csrf]');
      var key = pushButton.getAttribute('data-push-key').replace(/-/g, '+').replace(/_/g, '/');
      var raw = atob(key + '===='.slice(key.length % 4 || 4)), bytes = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
      Notification.requestPermission().then(function (answer) {
        if (answer !== 'granted') throw new Error('not allowed');
        return navigator.serviceWorker.ready;
      }).then(function (reg) {
        return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytes });
      }).then(function (sub) {
        var j = sub.toJSON();
        return fetch('/account/reminders/devices', { method: 'POST', credentials: 'same-origin',
          body: new URLSearchParams({ csrf: token ? token.value : '', endpoint: j.endpoint, p256dh: j.keys.p256dh, auth: j.keys.auth }) });
      }).then(function (res) {
        if (!res.ok) throw new Error('refused');
        window.location.reload();
      }).catch(function () {
        pushButton.parentNode.insertAdjacentHTML('afterend',
          '<p class="notice" role="status">This browser did not allow reminders. You can allow notifications for mend in its settings and try again.</p>');
      });
    });
  }
  // Copy and share buttons (the invite, the calendar address): shown where the browser can.
  document.querySelectorAll('[data-copy]').forEach(function (b) {
    if (!navigator.clipboard) return;
    b.hidden = false;
    b.addEventListener('click', function () {
      navigator.clipboard.writeText(b.getAttribute('data-copy')).then(function () {
        b.textContent = 'Copied';
      }, function () { b.textContent = 'Copy it by hand'; });
    });
  });
  document.querySelectorAll('[data-share]').forEach(function (b) {
    if (!navigator.share) return;
    b.hidden = false;
    b.addEventListener('click', function () {
      navigator.share({ title: 'mend', url: b.getAttribute('data-share') }).catch(function () {});
    });
  });
  // In person, the time left of a turn of speaking, counted down on the device (the page says
  // the clock time it ends in words; this is shown only with script, and kept from screen readers)
  document.querySelectorAll('[data-countdown]').forEach(function (el) {
    var end = Number(el.getAttribute('data-countdown')) * 1000;
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      el.textContent = left ? Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0') + ' left'
        : 'Time is up: now it is said back.';
      if (left) setTimeout(tick, 1000);
    };
    el.hidden = false;
    tick();
  });
  window.addEventListener('online', sendDrafts);
  // the device's storage is opened after the page is up (its first read can take a while)
  window.addEventListener('load', function () { setTimeout(function () { markDrafts(); sendDrafts(); }, 0); });

  // Quick exit: leave without leaving this page in the back history.
  // Logged in, it also ends the session on this device, as the page leaves.
  var exits = document.querySelectorAll('[data-quick-exit]');
  var exit = exits[0];
  // Logged in, the header's exit is a form (it works without script too): its token goes as a
  // beacon, which outlives the page.
  var form = document.querySelector('form.quick-exit-form');
  var leave = function (href) {
    var token = form && form.querySelector('input[name=csrf]');
    if (token && navigator.sendBeacon) navigator.sendBeacon('/exit', new URLSearchParams({ csrf: token.value }));
    window.location.replace(href);
  };
  if (exit) {
    exits.forEach(function (link) {
      link.addEventListener('click', function (e) {
        e.preventDefault();
        leave(link.getAttribute('data-href') || link.href);
      });
    });
    // Three presses of Escape also leave at once.
    var presses = 0, timer = null;
    document.addEventListener('keydown', function (e) {
      if (e.key !== 'Escape') return;
      presses++;
      clearTimeout(timer);
      timer = setTimeout(function () { presses = 0; }, 1000);
      if (presses >= 3) leave(exit.getAttribute('data-href') || exit.href);
    });
  }
});
