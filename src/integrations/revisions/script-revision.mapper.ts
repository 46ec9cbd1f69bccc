import { ScriptRevision } from './script-revision.entity';

/** A script revision as `integrations.revisions` shows it; absent (null) fields are left out. */
export function toApiScriptRevision(r: ScriptRevision): Record<string, unknown> {
  return {
    revision: r.revision,
    ...(r.script !== null ? { script: r.script } : {}),
    scriptEnabled: r.scriptEnabled,
    ...(r.scriptCompiled !== null ? { scriptCompiled: r.scriptCompiled } : {}),
    ...(r.scriptError !== null ? { scriptError: r.scriptError } : {}),
    _createdAt: r.createdAt,
    _createdBy: { _id: r.createdById, username: r.createdByUsername },
  };
}
