import { refusalCode } from '../../../test/support/refusal';
import { aUser } from '../../../test/support/factories';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { Integration, INCOMING, OUTGOING } from '../entities/integration.entity';
import { IntegrationGrants } from '../integration-grants';
import { IntegrationInput } from '../integration-input';
import { IntegrationPermissions } from '../integration-permissions';
import { IntegrationValidator } from '../integration-validator';
import { ScriptCompiler } from '../scripts/script-compiler';
import { CreateIntegration } from './create-integration';
import { IntegrationChanges } from './integration-changes';

/** A CreateIntegration over fakes: a caller holding `held` of the four permissions, users `known`. */
function setUp(held: Partial<Pick<IntegrationGrants, 'allIncoming' | 'ownIncoming' | 'allOutgoing' | 'ownOutgoing'>>, known: User[] = []) {
  const inserted: Partial<Integration>[] = [];
  const grantsOf: Pick<IntegrationPermissions, 'of'> = {
    of: (user: User) => Promise.resolve(new IntegrationGrants(user, !!held.allIncoming, !!held.ownIncoming, !!held.allOutgoing, !!held.ownOutgoing)),
  };
  const checkedTargets: string[][] = [];
  const validator: Pick<IntegrationValidator, 'compileIfEnabled' | 'assertTargets'> = {
    compileIfEnabled: () => null,
    assertTargets: (_caller: User, channels: string[]) => {
      checkedTargets.push(channels);
      return Promise.resolve();
    },
  };
  const users: Pick<UsersService, 'findByExactUsername'> = {
    findByExactUsername: (username: string) => Promise.resolve(known.find((u) => u.username === username) ?? null),
  };
  const changes: Pick<IntegrationChanges, 'insert'> = {
    insert: (_caller: User, fields: Partial<Integration>) => {
      inserted.push(fields);
      return Promise.resolve(fields as Integration);
    },
  };
  const scripts = { assertEngineAllowed: () => undefined, isFrozen: () => false } as unknown as ScriptCompiler;
  const create = new CreateIntegration(grantsOf as IntegrationPermissions, validator as IntegrationValidator, scripts, users as UsersService, changes as IntegrationChanges);
  return { create, inserted, checkedTargets };
}

const caller = aUser({ id: 'caller', username: 'caller' });
const poster = aUser({ id: 'poster', username: 'poster' });
const incoming = (fields: Partial<IntegrationInput> = {}): IntegrationInput => ({ type: INCOMING, name: 'in', enabled: true, username: 'poster', channel: '#general', scriptEnabled: false, ...fields });

describe('CreateIntegration (fakes)', () => {
  it('refuses an incoming integration to a caller with neither incoming permission before looking at anything else', async () => {
    const { create, inserted } = setUp({ allOutgoing: true }, [poster]);
    expect(await refusalCode(create.create(caller, incoming({ username: '' })))).toBe('not_authorized');
    expect(inserted).toEqual([]);
  });

  it('checks the channel, then the username, then the user, in that order (spec §3.1)', async () => {
    const { create } = setUp({ ownIncoming: true }, [poster]);
    expect(await refusalCode(create.create(caller, incoming({ channel: '', username: '' })))).toBe('error-invalid-channel');
    expect(await refusalCode(create.create(caller, incoming({ username: ' ' })))).toBe('error-invalid-username');
    expect(await refusalCode(create.create(caller, incoming({ username: 'nobody' })))).toBe('error-invalid-user');
  });

  it('asks for membership of the targets unless the caller holds both incoming permissions', async () => {
    const { create, checkedTargets } = setUp({ ownIncoming: true }, [poster]);
    await create.create(caller, incoming({ channel: '#a, @bob' }));
    expect(checkedTargets).toEqual([['#a', '@bob']]);
  });

  it('stores an incoming integration posting as the named user, with a 48-character token and no empty optional fields', async () => {
    const { create, inserted } = setUp({ allIncoming: true, ownIncoming: true }, [poster]);
    await create.create(caller, incoming({ alias: '', emoji: ':x:' }));
    expect(inserted[0]).toMatchObject({ type: INCOMING, userId: 'poster', channel: ['#general'], alias: null, emoji: ':x:' });
    expect(inserted[0].token).toHaveLength(48);
  });

  it('refuses an outgoing integration to a caller with neither outgoing permission, and an unknown type', async () => {
    const { create } = setUp({ allIncoming: true });
    expect(await refusalCode(create.create(caller, { type: OUTGOING, name: 'out', enabled: true, username: 'rocket.cat', channel: '', event: 'sendMessage', urls: ['http://x.test'], scriptEnabled: false }))).toBe('not_authorized');
    expect(await refusalCode(create.create(caller, { ...incoming(), type: 'webhook-other' }))).toBe('failed');
  });
});
