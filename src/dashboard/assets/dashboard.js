// Operator dashboard: progressive enhancement only (every action is a plain form).
// Served from this origin; the CSP allows no inline script.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    // Selects that switch environment or filter submit themselves; their button is then redundant.
    document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
      select.addEventListener('change', function () {
        select.form.submit();
      });
    });
    document.querySelectorAll('[data-hide-with-js]').forEach(function (el) {
      el.hidden = true;
    });

    // Copy buttons: the link stays selectable in its field if the clipboard is unavailable.
    document.querySelectorAll('button[data-copy]').forEach(function (button) {
      button.addEventListener('click', function () {
        var input = document.querySelector(button.getAttribute('data-copy'));
        var status = document.getElementById('copy-status');
        if (!input) return;
        var done = function (ok) {
          if (status) status.textContent = ok ? 'Copied to the clipboard.' : 'Press Ctrl+C (⌘C) to copy.';
        };
        input.select();
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(
            function () {
              done(true);
            },
            function () {
              done(document.execCommand('copy'));
            },
          );
        } else {
          done(document.execCommand('copy'));
        }
      });
    });

    // A form sent once is not sent twice by a double click.
    document.querySelectorAll('form[method="post"]').forEach(function (form) {
      form.addEventListener('submit', function () {
        var button = form.querySelector('button[type="submit"]');
        if (button) {
          setTimeout(function () {
            button.disabled = true;
            button.classList.add('busy');
          }, 0);
        }
      });
    });
  });
})();
