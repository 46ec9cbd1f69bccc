/**
 * What a script sees besides its own code, set up inside the isolate before the script runs.
 * Rocket.Chat's isolated-vm engine gives `global`, `console`, `s` (its string helpers), `Store`
 * and `fetch` (`serverFetch` in its newest versions); these are the same names with the same
 * behaviour. They are plain, configurable properties of the global object, as Rocket.Chat's
 * are, so a script may declare its own `console`, `global` or `Store` without breaking.
 *
 * The prelude is an expression statement: code after it in the same script (the user's) has no
 * directive prologue, so a transpiled script's leading "use strict" does not apply (spec §3.5).
 *
 * The host hands in `__log(level, text)`, `__fetch(url, optionsJson)` and, for an integration
 * with secrets, `__env` (`SECRET_<NAME>` → value); the prelude keeps them in its closure and
 * removes them from the global object.
 */
export const SANDBOX_PRELUDE = `(function (root) {
  var hostLog = root.__log, hostFetch = root.__fetch, secrets = root.__env;
  delete root.__log; delete root.__fetch; delete root.__env;
  // A script's own top-level \`var console\` exists (non-configurable) before this runs: assign to it.
  var define = function (name, value) {
    var own = Object.getOwnPropertyDescriptor(root, name);
    if (own && !own.configurable) root[name] = value;
    else Object.defineProperty(root, name, { value: value, writable: true, configurable: true, enumerable: false });
  };

  var show = function (a) {
    if (typeof a === 'string') return a;
    if (a instanceof Error) return a.stack || String(a);
    try { var json = JSON.stringify(a); return json === undefined ? String(a) : json; } catch (e) { return String(a); }
  };
  var depth = 0, counts = {}, timers = {};
  var send = function (level, args) {
    var text = Array.prototype.map.call(args, show).join(' ');
    if (depth > 0) text = new Array(depth + 1).join('  ') + text;
    hostLog.applyIgnored(undefined, [level, text.slice(0, 10000)]);
  };
  var at = function (level) { return function () { send(level, arguments); }; };
  var label = function (l) { return l === undefined ? 'default' : String(l); };
  var elapsed = function (l) { return l + ': ' + (Date.now() - timers[l]) + 'ms'; };
  define('console', {
    log: at('log'), info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'),
    dir: at('log'), dirxml: at('log'), table: at('log'),
    trace: function () { send('debug', Array.prototype.concat.apply(['Trace:'], arguments).concat([new Error().stack.split('\\n').slice(2).join('\\n')])); },
    assert: function (ok) { if (!ok) send('error', ['Assertion failed:'].concat(Array.prototype.slice.call(arguments, 1))); },
    count: function (l) { l = label(l); counts[l] = (counts[l] || 0) + 1; send('log', [l + ': ' + counts[l]]); },
    countReset: function (l) { counts[label(l)] = 0; },
    time: function (l) { timers[label(l)] = Date.now(); },
    timeLog: function (l) { l = label(l); if (l in timers) send('log', [elapsed(l)].concat(Array.prototype.slice.call(arguments, 1))); },
    timeEnd: function (l) { l = label(l); if (l in timers) { send('log', [elapsed(l)]); delete timers[l]; } },
    group: function () { if (arguments.length) send('log', arguments); depth++; },
    groupCollapsed: function () { if (arguments.length) send('log', arguments); depth++; },
    groupEnd: function () { if (depth > 0) depth--; },
    clear: function () {},
  });

  var str = function (v) { return v === null || v === undefined || v === false || v === 0 || v === '' ? '' : String(v); };
  var escapeRegExp = function (v) { return String(v).replace(/[.*+?^\${}()|[\\]\\\\\\/-]/g, '\\\\$&'); };
  var charClass = function (chars) {
    if (!chars) return '\\\\s';
    if (chars instanceof RegExp) return chars.source;
    return '[' + escapeRegExp(str(chars)) + ']';
  };
  var html = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  var pad = function (v, length, padStr, type) {
    var text = str(v), size = ~~length - text.length, fill = padStr ? String(padStr).charAt(0) : ' ';
    if (size <= 0) return text;
    if (type === 'both') return new Array(Math.ceil(size / 2) + 1).join(fill) + text + new Array(Math.floor(size / 2) + 1).join(fill);
    if (type === 'left') return new Array(size + 1).join(fill) + text;
    return text + new Array(size + 1).join(fill);
  };
  define('s', {
    truncate: function (v, length) { var t = str(v); return t.length > length ? t.slice(0, length - 3) + '...' : t; },
    trim: function (v, chars) { var c = charClass(chars); return chars ? str(v).replace(new RegExp('^' + c + '+|' + c + '+$', 'g'), '') : str(v).trim(); },
    ltrim: function (v, chars) { return chars ? str(v).replace(new RegExp('^' + charClass(chars) + '+'), '') : str(v).replace(/^\\s+/, ''); },
    rtrim: function (v, chars) { return chars ? str(v).replace(new RegExp(charClass(chars) + '+$'), '') : str(v).replace(/\\s+$/, ''); },
    capitalize: function (v, lowercaseRest) { var t = str(v); return t.charAt(0).toUpperCase() + (lowercaseRest ? t.slice(1).toLowerCase() : t.slice(1)); },
    stripTags: function (v) { return str(v).replace(/<(script|style)[^>]*>[\\s\\S]*?<\\/\\1>/gi, '').replace(/<\\/?[^>]+>/g, ''); },
    escapeHTML: function (v) { return str(v).replace(/[&<>"']/g, function (c) { return html[c]; }); },
    unescapeHTML: function (v) { return str(v).replace(/&(amp|lt|gt|quot|#39|#x27);/g, function (m) { return { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" }[m]; }); },
    strLeft: function (v, sep) { var t = str(v), p = sep ? t.indexOf(str(sep)) : -1; return p >= 0 ? t.slice(0, p) : t; },
    strRight: function (v, sep) { var t = str(v), s = str(sep), p = s ? t.indexOf(s) : -1; return p >= 0 ? t.slice(p + s.length) : t; },
    strRightBack: function (v, sep) { var t = str(v), s = str(sep), p = s ? t.lastIndexOf(s) : -1; return p >= 0 ? t.slice(p + s.length) : t; },
    numberFormat: function (n, decimals, dsep, tsep) {
      if (typeof n !== 'number' || isNaN(n)) return '';
      var parts = n.toFixed(~~decimals).split('.');
      var thousands = typeof tsep === 'string' ? tsep : ',';
      return parts[0].replace(/(\\d)(?=(?:\\d{3})+$)/g, '$1' + thousands) + (parts[1] ? (dsep || '.') + parts[1] : '');
    },
    pad: pad,
    lpad: function (v, length, padStr) { return pad(v, length, padStr, 'left'); },
    rpad: function (v, length, padStr) { return pad(v, length, padStr, 'right'); },
    lrpad: function (v, length, padStr) { return pad(v, length, padStr, 'both'); },
    escapeRegExp: escapeRegExp,
    wildcardToRegex: function (pattern) { return '^' + escapeRegExp(pattern).replace(/\\\\\\*/g, '.*').replace(/\\\\\\?/g, '.') + '$'; },
  });

  var fetch = function (url, options) {
    return hostFetch.apply(undefined, [String(url), JSON.stringify(options || {})], { result: { promise: true, copy: true } }).then(function (result) {
      if (result.error) throw new TypeError(result.error);
      var body = result.body, headers = result.headers;
      return {
        status: result.status, statusText: result.statusText, ok: result.ok, url: result.url,
        headers: {
          get: function (name) { var v = headers[String(name).toLowerCase()]; return v === undefined ? null : v; },
          has: function (name) { return String(name).toLowerCase() in headers; },
          entries: function () { return Object.entries(headers); },
        },
        text: function () { return Promise.resolve(body); },
        json: function () { return Promise.resolve().then(function () { return JSON.parse(body); }); },
      };
    });
  };
  define('fetch', fetch);
  define('serverFetch', fetch);

  var values = Object.create(null);
  define('Store', {
    set: function (key, value) { values[key] = value; return value; },
    get: function (key) { return values[key]; },
  });

  // Hookline's script secrets: a read-only process.env holding only them (absent without secrets, as in Rocket.Chat).
  if (secrets) define('process', Object.freeze({ env: Object.freeze(secrets) }));

  define('global', root);
})(globalThis);
`;
