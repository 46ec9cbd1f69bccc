/**
 * PostgreSQL cannot hold every JavaScript string: `text` refuses NUL (U+0000), and `jsonb` also
 * refuses a lone surrogate such as `\ud800`. Clients can send both (JSON escapes, form fields,
 * query strings), scripts can return them and targets can answer with them. Rather than fail
 * the write, Hookline stores U+FFFD (the replacement character) in their place, as a UTF-8 decoder
 * does with bytes it cannot read.
 */
const REPLACEMENT = '\uFFFD';
// eslint-disable-next-line no-control-regex -- NUL is one of the characters looked for
const SUSPECT = /[\u0000\ud800-\udfff]/;

type WellFormable = { toWellFormed(): string };

export function storableString(text: string): string {
  if (!SUSPECT.test(text)) return text;
  return (text.replaceAll('\u0000', REPLACEMENT) as unknown as WellFormable).toWellFormed();
}

/**
 * `value` with every string in it (keys included) made storable. Objects and arrays are changed in
 * place; the walk uses no recursion, so any depth is safe.
 */
export function toStorable<T>(value: T): T {
  if (typeof value === 'string') return storableString(value) as T;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        if (typeof node[i] === 'string') node[i] = storableString(node[i] as string);
        else pending.push(node[i]);
      }
      continue;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const child = record[key];
      const fixed = typeof child === 'string' ? storableString(child) : child;
      const fixedKey = storableString(key);
      if (fixedKey !== key) {
        delete record[key];
        setOwn(record, fixedKey, fixed);
      } else if (fixed !== child) {
        setOwn(record, key, fixed);
      }
      if (typeof fixed === 'object' && fixed !== null) pending.push(fixed);
    }
  }
  return value;
}

/** Defines rather than assigns, so an own `__proto__` key (JSON.parse makes them) stays a plain key. */
function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}
