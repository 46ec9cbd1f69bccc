import { Injectable } from '@nestjs/common';
import type { TransformOptions } from '@babel/core';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { Script } from 'node:vm';
import { AppConfig } from '../../core/config/app-config';
import { ScriptError } from '../entities/integration.entity';

export type CompileResult = { scriptCompiled: string; scriptError: null } | { scriptCompiled: null; scriptError: ScriptError };

export const DEFAULT_SCRIPT_ENGINE = 'isolated-vm';

type Transform = (source: string, withMap?: boolean) => { code: string; map?: unknown };

/**
 * Babel and its preset weigh about 50 MB once loaded, and only saving a script needs them: they
 * are loaded on the first save, not at start.
 */
let babelTransform: Transform | undefined;
function transpiler(): Transform {
  if (!babelTransform) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- Babel loads on the first compile, not at start
    const babel = require('@babel/core') as typeof import('@babel/core');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded with Babel, on the first compile
    const presetEnv = require('@babel/preset-env') as unknown;
    const options: TransformOptions = { presets: [presetEnv as string], compact: true, minified: true, comments: false, babelrc: false, configFile: false };
    babelTransform = (source, withMap = false) => {
      const result = babel.transformSync(source, withMap ? { ...options, sourceMaps: true } : options);
      return { code: result?.code ?? source, map: result?.map ?? undefined };
    };
  }
  return babelTransform;
}

/** Errors may come from another realm (node:vm), where `instanceof Error` does not hold. */
const asScriptError = (error: unknown): ScriptError => {
  const e = (typeof error === 'object' && error !== null ? error : new Error(String(error))) as Partial<Error>;
  return { name: String(e.name ?? 'Error'), message: String(e.message ?? error), stack: String(e.stack ?? '') };
};

/**
 * Script compilation (integrations spec §3.5), as Rocket.Chat does it: Babel with `preset-env`
 * turns the source into ES5, and the result is stored as `scriptCompiled` and run. Published
 * scripts depend on that: classes become plain functions, and because the sandbox puts the code
 * after its own prelude, Babel's leading "use strict" is no directive there and the code runs
 * sloppy (implicit globals in class methods work). With `transpile: false` (`skipTranspile`) the
 * source is stored as written after a syntax check, as Rocket.Chat's newest versions allow.
 */
export function compileScript(source: string, { transpile = true }: { transpile?: boolean } = {}): CompileResult {
  try {
    if (!transpile) {
      new Script(`(function () {\n${source}\n})`, { filename: 'integration-script.js' });
      return { scriptCompiled: source, scriptError: null };
    }
    return { scriptCompiled: transpiler()(source).code, scriptError: null };
  } catch (error) {
    return { scriptCompiled: null, scriptError: asScriptError(error) };
  }
}

/**
 * Where a place in a transpiled script (Babel's output is one minified line) was in its source:
 * Babel compiles the source again with a source map, only when a run failed and someone asks.
 */
export function sourcePosition(source: string, compiled: { line: number; column: number }): { line: number; column: number } | undefined {
  try {
    const { map } = transpiler()(source, true);
    if (!map) return undefined;
    const found = originalPositionFor(new TraceMap(map as ConstructorParameters<typeof TraceMap>[0]), { line: compiled.line, column: compiled.column - 1 });
    return found.line === null ? undefined : { line: found.line, column: found.column + 1 };
  } catch {
    return undefined;
  }
}

/** Compiles scripts on save (a failure is stored as `scriptError`; the save still succeeds) and applies FREEZE_INTEGRATION_SCRIPTS. */
@Injectable()
export class ScriptCompiler {
  constructor(private readonly config: AppConfig) {}

  compile(source: string, options: { transpile?: boolean } = {}): CompileResult {
    return compileScript(source, options);
  }

  /** FREEZE_INTEGRATION_SCRIPTS: scripts may not be created or changed (for this engine). */
  isFrozen(engine: string): boolean {
    const freeze = this.config.freezeIntegrationScripts;
    return freeze === 'all' || (freeze === 'ivm' && engine === DEFAULT_SCRIPT_ENGINE) || (freeze === 'vm2' && engine !== DEFAULT_SCRIPT_ENGINE);
  }

  /** Refuses a script for a frozen engine, with Rocket.Chat's plain-Error texts. */
  assertEngineAllowed(engine: string): void {
    const freeze = this.config.freezeIntegrationScripts;
    if (freeze === 'all') throw new EngineFrozen('integration-scripts-disabled');
    if (freeze === 'ivm' && engine === DEFAULT_SCRIPT_ENGINE) throw new EngineFrozen('integration-scripts-isolated-vm-disabled');
    if (freeze === 'vm2' && engine !== DEFAULT_SCRIPT_ENGINE) throw new EngineFrozen('integration-scripts-vm2-disabled');
  }
}

export class EngineFrozen extends Error {
  constructor(readonly code: 'integration-scripts-disabled' | 'integration-scripts-isolated-vm-disabled' | 'integration-scripts-vm2-disabled') {
    super(code);
  }
}
