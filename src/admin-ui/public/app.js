// Progressive enhancement for the admin pages; every page works without it.
(function () {
  'use strict';

  // Copy buttons: data-copy names the element whose text is copied.
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('button[data-copy]');
    if (!button) return;
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent || '').then(function () {
      var label = button.textContent;
      button.textContent = 'Copied';
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });

  // Forms that destroy or resend something ask first.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // Channel and post-as fields are checked by the server as you type (the API's own messages).
  var timers = {};
  document.querySelectorAll('input[data-check]').forEach(function (input) {
    var out = document.getElementById(input.name + '-live');
    input.addEventListener('input', function () {
      clearTimeout(timers[input.name]);
      timers[input.name] = setTimeout(function () {
        if (!input.value.trim()) { if (out) out.textContent = ''; return; }
        fetch(input.getAttribute('data-check') + '?value=' + encodeURIComponent(input.value), { credentials: 'same-origin' })
          .then(function (r) { return r.json(); })
          .then(function (answer) {
            if (out) out.textContent = answer.ok ? '' : answer.error;
            input.setAttribute('aria-invalid', answer.ok ? 'false' : 'true');
          })
          .catch(function () {});
      }, 300);
    });
  });

  // The script editor (CodeMirror), when its bundle was built.
  var script = document.querySelector('textarea[data-editor="on"]');
  if (script) {
    var loader = document.createElement('script');
    loader.src = '/ui/assets/vendor/editor.js';
    document.head.appendChild(loader);
  }
})();
