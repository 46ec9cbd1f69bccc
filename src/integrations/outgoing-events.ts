/** What each outgoing event uses (integrations spec §5.1). */
export const OUTGOING_EVENTS: Record<string, { usesChannel: boolean; usesTriggerWords: boolean; usesTargetRoom: boolean }> = {
  sendMessage: { usesChannel: true, usesTriggerWords: true, usesTargetRoom: false },
  fileUploaded: { usesChannel: true, usesTriggerWords: false, usesTargetRoom: false },
  roomArchived: { usesChannel: false, usesTriggerWords: false, usesTargetRoom: false },
  roomCreated: { usesChannel: false, usesTriggerWords: false, usesTargetRoom: false },
  roomJoined: { usesChannel: true, usesTriggerWords: false, usesTargetRoom: false },
  roomLeft: { usesChannel: true, usesTriggerWords: false, usesTargetRoom: false },
  userCreated: { usesChannel: false, usesTriggerWords: false, usesTargetRoom: true },
};

export const isOutgoingEvent = (event: unknown): event is string =>
  typeof event === 'string' && Object.prototype.hasOwnProperty.call(OUTGOING_EVENTS, event);
