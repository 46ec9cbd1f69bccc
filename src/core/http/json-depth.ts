/** Deepest nesting accepted in a request body; deeper documents are refused before any handler runs. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether `value` nests arrays or objects more than `limit` levels deep. Walks without recursion,
 * so a hostile document cannot overflow the stack here, and stops at the first level too deep;
 * validators and mappers further on recurse freely because of this check.
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
