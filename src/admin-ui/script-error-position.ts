/** Line and column of a compile error, from Babel's "(3:14)" or V8's stack "integration-script.js:4". */
export function scriptErrorPosition(error: { message?: string; stack?: string } | null): { line: number; column: number } | null {
  if (!error) return null;
  const babel = /\((\d+):(\d+)\)/.exec(error.message ?? '');
  if (babel) return { line: Number(babel[1]), column: Number(babel[2]) + 1 };
  const v8 = /integration-script\.js:(\d+)(?::(\d+))?/.exec(error.stack ?? '');
  // The syntax check wraps the source in one line of its own (script-compiler.ts).
  return v8 ? { line: Number(v8[1]) - 1, column: Number(v8[2] ?? 1) } : null;
}
