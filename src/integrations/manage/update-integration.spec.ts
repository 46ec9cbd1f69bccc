import { refusalCode } from '../../../test/support/refusal';
import { anIntegration, aUser } from '../../../test/support/factories';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { Integration, INCOMING, OUTGOING } from '../entities/integration.entity';
import { IntegrationGrants } from '../integration-grants';
import { IntegrationInput } from '../integration-input';
import { IntegrationPermissions } from '../integration-permissions';
import { IntegrationStore } from '../integration-store';
import { IntegrationValidator } from '../integration-validator';
import { ScriptCompiler } from '../scripts/script-compiler';
import { IntegrationChanges, SaveOptions } from './integration-changes';
import { UpdateIntegration } from './update-integration';

const caller = aUser({ id: 'caller', username: 'caller' });
const poster = aUser({ id: 'poster', username: 'poster' });

/** An UpdateIntegration over fakes, holding the integrations `rows`; `frozen` freezes the script engine. */
function setUp(rows: Integration[], { frozen = false, all = true } = {}) {
  const saved: { id: string; changes: Partial<Integration>; options: SaveOptions }[] = [];
  const store: Pick<IntegrationStore, 'findById' | 'findByUrl'> = {
    findById: (id: string) => Promise.resolve(rows.find((r) => r.id === id) ?? null),
    findByUrl: (url: string) => Promise.resolve(rows.find((r) => r.urls?.includes(url)) ?? null),
  };
  const grantsOf: Pick<IntegrationPermissions, 'of' | 'updatable' | 'readable'> = {
    of: (user: User) => Promise.resolve(new IntegrationGrants(user, all, true, all, true)),
    updatable: (grants: IntegrationGrants, id: string, type?: string) =>
      Promise.resolve(rows.find((r) => r.id === id && (!type || r.type === type) && (grants.all(r.type) || r.createdById === grants.user.id)) ?? null),
    readable: (_user: User, id: string) => Promise.resolve(rows.find((r) => r.id === id) as Integration),
  };
  const validator: Pick<IntegrationValidator, 'compileIfEnabled' | 'assertTargets' | 'validateOutgoing'> = {
    compileIfEnabled: () => null,
    assertTargets: () => Promise.resolve(),
    validateOutgoing: (_grants, input) =>
      Promise.resolve({ event: input.event as string, user: poster, channel: [], urls: input.urls ?? [], triggerWords: null, targetRoom: null, runOnEdits: null, retryCount: null, retryDelay: null, compiled: null }),
  };
  const users: Pick<UsersService, 'findByExactUsername'> = { findByExactUsername: (name: string) => Promise.resolve(name === 'poster' ? poster : null) };
  const changes: Pick<IntegrationChanges, 'save'> = {
    save: (_caller: User, id: string, fields: Partial<Integration>, options: SaveOptions = {}) => {
      saved.push({ id, changes: fields, options });
      return Promise.resolve({ ...rows.find((r) => r.id === id), ...fields } as Integration);
    },
  };
  const scripts = { assertEngineAllowed: () => undefined, isFrozen: () => frozen } as unknown as ScriptCompiler;
  const update = new UpdateIntegration(store as IntegrationStore, grantsOf as IntegrationPermissions, validator as IntegrationValidator, scripts, users as UsersService, changes as IntegrationChanges);
  return { update, saved };
}

const outgoingRow = anIntegration({ id: 'O1', urls: ['http://a.test/hook'], token: 'tok', createdById: 'someone' });
const incomingRow = anIntegration({ id: 'I1', type: INCOMING, username: 'poster', userId: 'poster', event: null, urls: null, createdById: 'someone' });
const outgoingInput = (fields: Partial<IntegrationInput> = {}) =>
  ({ type: OUTGOING, name: 'new name', enabled: true, username: 'poster', channel: '', event: 'sendMessage', urls: ['http://a.test/hook'], token: 'tok', scriptEnabled: false, ...fields }) as IntegrationInput & Record<string, unknown>;
const incomingInput = (fields: Partial<IntegrationInput> = {}) =>
  ({ type: INCOMING, integrationId: 'I1', name: 'renamed', enabled: true, channel: '#general', scriptEnabled: false, ...fields }) as IntegrationInput & Record<string, unknown>;

describe('UpdateIntegration (fakes)', () => {
  it('finds an outgoing integration by target_url first, then by integrationId', async () => {
    const { update, saved } = setUp([outgoingRow]);
    await update.update(caller, outgoingInput({ target_url: 'http://a.test/hook', integrationId: 'nope' }));
    await update.update(caller, outgoingInput({ integrationId: 'O1' }));
    expect(saved.map((s) => s.id)).toEqual(['O1', 'O1']);
    expect(await refusalCode(update.update(caller, outgoingInput({ integrationId: 'nope' })))).toBe('failed');
  });

  it('needs the token of an outgoing integration, and refuses another’s to an own-permission holder as not found', async () => {
    const { update } = setUp([outgoingRow], { all: false });
    expect(await refusalCode(update.update(caller, outgoingInput({ integrationId: 'O1', token: ' ' })))).toBe('error-invalid-token');
    expect(await refusalCode(update.update(caller, outgoingInput({ integrationId: 'O1' })))).toBe('invalid_integration');
  });

  it('keeps the stored script while the engine is frozen, and changes the rest', async () => {
    const { update, saved } = setUp([outgoingRow], { frozen: true });
    await update.update(caller, outgoingInput({ integrationId: 'O1', script: 'class Script {}', scriptEnabled: true }));
    expect(saved[0].changes).toMatchObject({ name: 'new name' });
    for (const key of ['script', 'scriptEnabled', 'skipTranspile', 'scriptCompiled', 'scriptError']) expect(saved[0].changes).not.toHaveProperty(key);
  });

  it('changes only the incoming fields given, and checks the post-as user it names', async () => {
    const { update, saved } = setUp([incomingRow]);
    await update.update(caller, incomingInput());
    expect(saved[0].changes).not.toHaveProperty('avatar');
    expect(saved[0].changes).not.toHaveProperty('username');
    expect(saved[0].options.botUser?.id).toBe('poster');
    expect(await refusalCode(update.update(caller, incomingInput({ username: 'nobody' })))).toBe('error-invalid-post-as-user');
  });

  it('refuses an incoming integration that is not the caller’s (own-permission only) as invalid', async () => {
    const { update } = setUp([incomingRow], { all: false });
    expect(await refusalCode(update.update(caller, incomingInput()))).toBe('error-invalid-integration');
  });

  it('turns an integration on or off and writes nothing when it already is', async () => {
    const { update, saved } = setUp([anIntegration({ id: 'X', enabled: true })]);
    await update.setEnabled(caller, 'X', true);
    expect(saved).toEqual([]);
    await update.setEnabled(caller, 'X', false);
    expect(saved[0]).toMatchObject({ id: 'X', changes: { enabled: false } });
  });
});
