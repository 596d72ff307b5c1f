// Hosted connect page: the only script, served from this origin (CSP script-src 'self').
// Talks to @kombo-api/connect in the parent window: {type:"success", data:{activation_token}}
// when the flow is done, {type:"close"} when the customer closes it.
(function () {
  'use strict';
  var framed = window.parent && window.parent !== window;

  // The parent's origin when the browser tells us (Chromium, Safari: ancestorOrigins);
  // otherwise '*'. The activation token is useless without the LMS's API key, and
  // CONNECT_FRAME_ANCESTORS decides who may frame this page at all.
  function parentOrigin() {
    try {
      var ao = window.location.ancestorOrigins;
      if (ao && ao.length > 0 && ao[0] && ao[0] !== 'null') return ao[0];
    } catch {
      /* ignore */
    }
    return '*';
  }

  function post(message) {
    if (framed) window.parent.postMessage(message, parentOrigin());
  }

  function ready() {
    var closeButton = document.getElementById('close-button');
    if (closeButton && framed) {
      closeButton.hidden = false;
      closeButton.addEventListener('click', function () {
        post({ type: 'close' });
      });
    }
    var done = document.getElementById('done');
    var token = done && done.getAttribute('data-activation-token');
    if (token && framed) post({ type: 'success', data: { activation_token: token } });

    // One submission per click: a double click must not spend two rate-limited attempts.
    var forms = document.querySelectorAll('form');
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener('submit', function (ev) {
        var form = ev.currentTarget;
        if (form.getAttribute('data-submitted')) {
          ev.preventDefault();
          return;
        }
        form.setAttribute('data-submitted', '1');
        var buttons = form.querySelectorAll('button[type=submit]');
        for (var j = 0; j < buttons.length; j++) buttons[j].classList.add('busy');
      });
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
