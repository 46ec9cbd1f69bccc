/** The value a JSON text holds, or undefined when it is not JSON (for reading what others sent, where "not JSON" is an answer, not an error). */
export function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
