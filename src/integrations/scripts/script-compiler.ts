import { Injectable } from '@nestjs/common';
import { Script } from 'node:vm';
import { AppConfig } from '../../core/config/app-config';
import { ScriptError } from '../entities/integration.entity';

export type CompileResult = { scriptCompiled: string; scriptError: null } | { scriptCompiled: null; scriptError: ScriptError };

export const DEFAULT_SCRIPT_ENGINE = 'isolated-vm';

/**
 * Script checks on save (integrations spec §3.5, §6.2). Hookline runs scripts as written (no
 * transpiling), so "compiling" is a syntax check: the source is parsed, never run. A syntax error
 * is stored as `scriptError` and the save still succeeds.
 */
@Injectable()
export class ScriptCompiler {
  constructor(private readonly config: AppConfig) {}

  compile(source: string): CompileResult {
    try {
      new Script(`(function () {\n${source}\n})`, { filename: 'integration-script.js' });
      return { scriptCompiled: source, scriptError: null };
    } catch (error) {
      const e = error as Error;
      return { scriptCompiled: null, scriptError: { name: e.name, message: e.message, stack: e.stack ?? '' } };
    }
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

export class EngineFrozen extends Error {}
