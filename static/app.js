// mend: progressive enhancement only; every page works without this file.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  // Quick exit: leave without leaving this page in the back history.
  var exits = document.querySelectorAll('[data-quick-exit]');
  var exit = exits[0];
  if (exit) {
    exits.forEach(function (link) {
      link.addEventListener('click', function (e) {
        e.preventDefault();
        window.location.replace(link.href);
      });
    });
    // Three presses of Escape also leave at once.
    var presses = 0, timer = null;
    document.addEventListener('keydown', function (e) {
      if (e.key !== 'Escape') return;
      presses++;
      clearTimeout(timer);
      timer = setTimeout(function () { presses = 0; }, 1000);
      if (presses >= 3) window.location.replace(exit.href);
    });
  }
});
