/** Polls `probe` until it returns a value that passes `done`, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
    value = await probe();
  }
  return value;
}

/** Waits long enough for background work to have happened if it were going to (for "nothing happens" checks). */
export const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));
