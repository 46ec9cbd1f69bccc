/**
 * Every Meteor error code Hookline answers with (`errorType` on the wire, Rocket.Chat's own
 * spelling, kept byte for byte: three spellings of "not authorized" are live because Rocket.Chat's
 * methods differ).
 */
export const METEOR_CODES = [
  'error-action-not-allowed',
  'error-duplicate-channel-name',
  'error-duplicated-message',
  'error-field-unavailable',
  'error-input-is-not-a-valid-field',
  'error-invalid-channel',
  'error-invalid-channel-start-with-chars',
  'error-invalid-content-type',
  'error-invalid-deliveryRateLimit',
  'error-invalid-email',
  'error-invalid-event-type',
  'error-invalid-file',
  'error-invalid-header',
  'error-invalid-integration',
  'error-invalid-integration-history',
  'error-invalid-message',
  'error-invalid-permission',
  'error-invalid-permissions',
  'error-invalid-post-as-user',
  'error-invalid-revision',
  'error-invalid-role',
  'error-invalid-room',
  'error-invalid-room-name',
  'error-invalid-secret',
  'error-invalid-sort',
  'error-invalid-targetRoom',
  'error-invalid-tmid',
  'error-invalid-token',
  'error-invalid-triggerWords',
  'error-invalid-urls',
  'error-invalid-user',
  'error-invalid-username',
  'error-no-script',
  'error-not-allowed',
  'error-not-authorized',
  'error-room-archived',
  'error-room-not-found',
  'error-team-not-found',
  'error-token-already-exists',
  'error-token-does-not-exists',
  'error-user-not-in-room',
  'error-you-are-last-owner',
  'history-data-must-be-defined',
  'integration-type-must-be-outgoing',
  'invalid-channel',
  'invalid_integration',
  'not-authorized',
  'not_authorized',
  'team-does-not-exist',
  'team-name-already-exists',
] as const;

export type MeteorCode = (typeof METEOR_CODES)[number];

/**
 * Codes of errors whose wire body has no `errorType` (or one that is not a Meteor code): what
 * Hookline's code branches on or reports, set where the error is made.
 */
export type FailureCode =
  /** A plain `API.v1.failure(text)` nobody branches on. */
  | 'failed'
  /** A scripts engine frozen by SCRIPT_ENGINES. */
  | 'integration-scripts-disabled'
  | 'integration-scripts-isolated-vm-disabled'
  | 'integration-scripts-vm2-disabled'
  | 'unauthenticated'
  | 'error-unauthorized'
  | 'invalid-params'
  | 'error-not-found'
  | 'error-payload-too-large'
  | 'error-too-many-requests'
  | 'error-file-too-large'
  | 'login-blocked'
  | 'unavailable';

export type ErrorCode = MeteorCode | FailureCode;

/** The codes that mean "you may not do this" in any of Rocket.Chat's spellings. */
export const DENIED_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['not_authorized', 'not-authorized', 'error-not-authorized', 'error-unauthorized']);
