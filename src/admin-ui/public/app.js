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

  // Try it runs in place: the form stays exactly as typed and no history entry is added, so Back
  // and reload behave as before it. Without scripts (or if the answer is not the page, such as a
  // login form after the session ended), the button posts the form as usual.
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('button[data-try]');
    if (!button || button.hasAttribute('data-posting') || !window.fetch || !window.DOMParser) return;
    event.preventDefault();
    var form = button.form;
    button.disabled = true;
    fetch(button.getAttribute('formaction'), { method: 'POST', body: new URLSearchParams(new FormData(form)), credentials: 'same-origin' })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, 'text/html');
        var fresh = page.getElementById('try-output');
        var current = document.getElementById('try-output');
        if (!fresh || !current) throw new Error('not the page');
        current.replaceWith(document.importNode(fresh, true));
        // The saved script's compile error describes the saved text, not the one tried.
        var savedError = document.getElementById('script-error');
        if (savedError && !page.getElementById('script-error')) savedError.remove();
      })
      .catch(function () {
        button.setAttribute('data-posting', '');
        button.click();
      })
      .then(function () { button.disabled = false; });
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
