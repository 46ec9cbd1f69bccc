import { randomId } from '../../core/ids/random-id';

/** `/hooks/sample/...`: what an outgoing `sendMessage` delivery looks like (a legacy Zapier helper). */
export function sampleOutgoingPayloads() {
  return [1, 2, 3].map((n) => ({
    token: randomId(24),
    channel_id: randomId(),
    channel_name: 'general',
    timestamp: new Date(),
    user_id: randomId(),
    user_name: 'rocket.cat',
    text: `Sample text ${n}.`,
    trigger_word: 'Sample',
  }));
}
