import type ivm from 'isolated-vm';
import { isolatedVm } from './isolated-vm-loader';
import { toStorable } from '../../core/http/storable-text';
import { SANDBOX_PRELUDE } from './sandbox-prelude';

export type ScriptLogger = (level: 'log' | 'info' | 'warn' | 'error' | 'debug', text: string) => void;

/** What a script's `fetch` gets back from the host: a response, or an error message. */
export type ScriptFetchResult =
  | { status: number; statusText: string; ok: boolean; url: string; headers: Record<string, string>; body: string }
  | { error: string };
export type ScriptFetch = (url: string, optionsJson: string) => Promise<ScriptFetchResult>;

/** Thrown when a script cannot run: it failed to load, lacks the method, threw, or broke a limit. */
export class ScriptFailure extends Error {
  constructor(
    readonly code: 'error-evaluating-script' | 'integration-method-not-found' | 'error-running-script' | 'script-timeout' | 'script-memory-limit',
    message: string,
    /** Where in the user's script it failed, when the isolate's stack says. */
    readonly at?: { line: number; column: number },
  ) {
    super(message);
    this.name = 'ScriptFailure';
  }
}

/** The user's script starts after the prelude's lines (see load). */
const PRELUDE_LINES = SANDBOX_PRELUDE.split('\n').length;

/** The first frame of the user's script in an isolate's stack, as a line and column of that script. */
function positionInScript(stack: string | undefined): { line: number; column: number } | undefined {
  const frame = /integration-script\.js:(\d+):(\d+)/.exec(stack ?? '');
  const line = frame ? Number(frame[1]) - PRELUDE_LINES : 0;
  return frame && line > 0 ? { line, column: Number(frame[2]) } : undefined;
}

/** Marks the error thrown inside the isolate for a method the script does not define. */
const NO_METHOD = '__hookline_no_method__';

/**
 * Instantiates the user's `Script` and exposes own functions to call its methods by name (host
 * references see own properties only, and methods live on the class prototype).
 */
const ENTRY = `
;(() => {
  if (typeof Script !== 'function') return undefined;
  const instance = new Script();
  return {
    has: (method) => typeof instance[method] === 'function',
    invoke: (method, args) => {
      if (typeof instance[method] !== 'function') throw new Error('${NO_METHOD}');
      return instance[method](args);
    },
  };
})()`;

/** The most a script may hand back (serialized): its result becomes a message or a request body, and is kept in the history. */
export const MAX_RESULT_BYTES = 1024 * 1024;

function assertResultSize(method: string, result: unknown): void {
  let size: number;
  try {
    size = Buffer.byteLength(JSON.stringify(result) ?? '');
  } catch (error) {
    throw new ScriptFailure('error-running-script', `${method} returned a value that cannot be serialized: ${(error as Error).message}`);
  }
  if (size > MAX_RESULT_BYTES) throw new ScriptFailure('error-running-script', `${method} returned ${size} bytes; the limit is ${MAX_RESULT_BYTES}`);
}

type HasMethod = ivm.Reference<(method: string) => boolean>;
type Invoke = ivm.Reference<(method: string, args: unknown) => unknown>;

/** A user script loaded into an isolate of its own, with memory and per-call time limits. */
export class CompiledScript {
  private constructor(
    private readonly isolate: ivm.Isolate,
    private readonly has: HasMethod,
    private readonly invoke: Invoke,
    private readonly timeoutMs: number,
  ) {}

  static async load(
    source: string,
    limits: { memoryMb: number; timeoutMs: number },
    host: { log: ScriptLogger; fetch: ScriptFetch; env?: Record<string, string> },
  ): Promise<CompiledScript> {
    const sandbox = isolatedVm();
    const isolate = new sandbox.Isolate({ memoryLimit: limits.memoryMb });
    try {
      const context = await isolate.createContext();
      await context.global.set('__log', new sandbox.Reference((level: string, text: string) => host.log(level as Parameters<ScriptLogger>[0], text)));
      await context.global.set('__fetch', new sandbox.Reference((url: string, options: string) => host.fetch(url, options).then((r) => new sandbox.ExternalCopy(r).copyInto())));
      if (host.env && Object.keys(host.env).length) await context.global.set('__env', new sandbox.ExternalCopy(host.env).copyInto());
      const script = await isolate.compileScript(`${SANDBOX_PRELUDE}\n${source}\n${ENTRY}`, { filename: 'integration-script.js' });
      const entry = (await script.run(context, { timeout: limits.timeoutMs, reference: true })) as ivm.Reference<Record<string, unknown>>;
      if (entry.typeof !== 'object') throw new ScriptFailure('error-evaluating-script', 'The script must declare `class Script`');
      const has = (await entry.get('has', { reference: true })) as HasMethod;
      const invoke = (await entry.get('invoke', { reference: true })) as Invoke;
      return new CompiledScript(isolate, has, invoke, limits.timeoutMs);
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error instanceof ScriptFailure ? error : new ScriptFailure('error-evaluating-script', (error as Error).message);
    }
  }

  get disposed(): boolean {
    return this.isolate.isDisposed;
  }

  async hasMethod(method: string): Promise<boolean> {
    return (await this.has.apply(undefined, [method], { timeout: this.timeoutMs, result: { copy: true } })) === true;
  }

  /**
   * Calls `method` with a deep copy of `args` and returns a deep copy of its (awaited) result.
   * The time limit covers the whole call, promises included: a call that overruns gets its
   * isolate disposed, which stops whatever it was running.
   */
  async call(method: string, args: unknown): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.dispose();
        reject(new ScriptFailure('script-timeout', `${method} ran longer than ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    try {
      const call = this.invoke.apply(undefined, [method, new (isolatedVm()).ExternalCopy(args).copyInto()], {
        timeout: this.timeoutMs,
        result: { promise: true, copy: true },
      });
      const result = await Promise.race([call, overrun]);
      assertResultSize(method, result);
      return toStorable(result);
    } catch (error) {
      if (error instanceof ScriptFailure) throw error;
      const message = (error as Error).message ?? String(error);
      if (message.includes(NO_METHOD)) throw new ScriptFailure('integration-method-not-found', `The script has no method ${method}`);
      if (/memory limit/i.test(message) || this.isolate.isDisposed) {
        this.dispose();
        throw new ScriptFailure('script-memory-limit', message);
      }
      if (/timed out/i.test(message)) throw new ScriptFailure('script-timeout', message);
      throw new ScriptFailure('error-running-script', message, positionInScript((error as Error).stack));
    } finally {
      clearTimeout(timer);
    }
  }

  dispose(): void {
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }
}
