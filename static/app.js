// mend: progressive enhancement only; every page works without this file.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  // Quick exit: leave without leaving this page in the back history.
  // Logged in, it also ends the session on this device, as the page leaves.
  var exits = document.querySelectorAll('[data-quick-exit]');
  var exit = exits[0];
  var leave = function (href) {
    var token = exit.getAttribute('data-exit-csrf');
    if (token && navigator.sendBeacon) navigator.sendBeacon('/exit', new URLSearchParams({ csrf: token }));
    window.location.replace(href);
  };
  if (exit) {
    exits.forEach(function (link) {
      link.addEventListener('click', function (e) {
        e.preventDefault();
        leave(link.href);
      });
    });
    // Three presses of Escape also leave at once.
    var presses = 0, timer = null;
    document.addEventListener('keydown', function (e) {
      if (e.key !== 'Escape') return;
      presses++;
      clearTimeout(timer);
      timer = setTimeout(function () { presses = 0; }, 1000);
      if (presses >= 3) leave(exit.href);
    });
  }
});
