// GNS's own script: it only helps, every page works without it.
//
// 1. A form kept when the session ended (see web/kit/drafts.go) is filled in
//    again on its page after login.
// 2. On a phone the menu folds away behind a "Meny" button, so the header
//    does not take a third of the screen (without the script it shows).
// 3. Five minutes before a session ends for lack of use, a notice says so
//    and offers to stay logged in; once it has ended, the notice says that
//    what is typed comes back after the next login.
(function () {
  'use strict';

  function fillDraft() {
    var el = document.getElementById('gns-draft');
    if (!el) { return; }
    var d;
    try { d = JSON.parse(el.textContent); } catch (e) { return; }
    if (!d || !d.values) { return; }
    var forms = Array.prototype.slice.call(document.querySelectorAll('main form'));
    var form = forms.filter(function (f) {
      return (f.method || '').toLowerCase() === 'post' && new URL(f.action, location.href).pathname === d.action;
    })[0] || forms.filter(function (f) { return (f.method || '').toLowerCase() === 'post'; })[0];
    if (!form) { return; }
    Object.keys(d.values).forEach(function (name) {
      var vals = d.values[name] || [];
      var fields = Array.prototype.filter.call(form.elements, function (f) { return f.name === name; });
      var i = 0;
      fields.forEach(function (f) {
        if (f.type === 'hidden' || f.type === 'file' || f.type === 'password') { return; }
        if (f.type === 'checkbox' || f.type === 'radio') {
          f.checked = vals.indexOf(f.value) >= 0;
        } else if (f.tagName === 'SELECT') {
          Array.prototype.forEach.call(f.options, function (o) { o.selected = vals.indexOf(o.value) >= 0; });
        } else if (i < vals.length) {
          f.value = vals[i++];
        }
      });
    });
  }

  var warnTimer, endTimer, notice;

  function showNotice(ended) {
    if (!notice) {
      notice = document.createElement('div');
      notice.className = 'session-warning';
      notice.setAttribute('role', 'alert');
      document.body.appendChild(notice);
    }
    notice.textContent = '';
    var p = document.createElement('p');
    if (ended) {
      p.textContent = 'Sessionen har gått ut. Det du skriver går inte förlorat: när du skickar formuläret får du logga in igen, och sedan är det ifyllt igen.';
      notice.appendChild(p);
      return;
    }
    p.textContent = 'Du loggas ut om fem minuter om inget händer. Det du har skrivit är inte sparat förrän du skickar formuläret.';
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = 'Fortsätt vara inloggad';
    b.addEventListener('click', function () {
      fetch('/konto/session', { credentials: 'same-origin', cache: 'no-store', redirect: 'manual' }).then(function (r) {
        if (r.ok) { hideNotice(); start(); } else { showNotice(true); }
      }, function () { showNotice(true); });
    });
    notice.appendChild(p);
    notice.appendChild(b);
    b.focus();
  }

  function hideNotice() {
    if (notice) { notice.remove(); notice = null; }
  }

  // start (re)starts the count from now: the server counts a session's idle
  // time from its last request.
  function start() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    var idle = Number(document.body.getAttribute('data-session-idle') || 0);
    if (!idle) { return; }
    warnTimer = setTimeout(function () { showNotice(false); }, Math.max(idle - 300, 0) * 1000);
    endTimer = setTimeout(function () { showNotice(true); }, idle * 1000);
  }

  window.GNS = { restartSessionTimer: start };

  function foldMenu() {
    var button = document.querySelector('.menu-toggle'), header = document.querySelector('.site-header');
    if (!button || !header) { return; }
    document.documentElement.classList.add('js-menu');
    button.addEventListener('click', function () {
      var open = header.classList.toggle('menu-open');
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
    });
  }

  function init() {
    foldMenu();
    fillDraft();
    start();
    // htmx requests (inline checks) count as use too.
    document.body.addEventListener('htmx:afterRequest', function () { if (!notice) { start(); } });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
