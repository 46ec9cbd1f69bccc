import { INCOMING, IntegrationType } from '../integrations/entities/integration.entity';
import { eventEntry } from '../integrations/outgoing/event-catalog';
import { asText } from '../core/text/as-text';

/** Rocket.Chat's admin name for an outgoing event (the event catalog's label), shown beside the API value; unknown ones as they are. */
export const eventLabel = (event: unknown): string => (typeof event === 'string' ? (eventEntry(event)?.label ?? event) : '');

export const integrationKind = (type: IntegrationType): string => (type === INCOMING ? 'incoming webhook' : 'outgoing webhook');

/** An outgoing history step (Rocket.Chat's names, kept in the API) in words; unknown ones as they are. */
const STEP_WORDS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^start-execute-trigger-url$/, () => 'Started'],
  [/^mapped-args-to-data$/, () => 'Payload prepared'],
  [/^execute-script-getting-script$/, () => 'The script could not be loaded'],
  [/^execute-script-before-running-(\w+)$/, (m) => `Running the script's ${m[1]}`],
  [/^execute-script-error-running-(\w+)$/, (m) => `The script's ${m[1]} failed`],
  [/^after-maybe-ran-prepare$/, () => 'Script prepared the request'],
  [/^after-prepare-no-opts$/, () => 'The script sent nothing'],
  [/^after-prepare-send-message$/, () => 'The script posted a message'],
  [/^after-prepare-send-message-failed$/, () => "The script's message could not be posted"],
  [/^after-prepare-no-url_or_method$/, () => 'The script gave no URL or method'],
  [/^pre-http-call$/, () => 'Sending'],
  [/^after-http-call$/, () => 'The target answered'],
  [/^after-process-false-result$/, () => 'Delivered; the response script posted nothing'],
  [/^after-process-send-message$/, () => 'Delivered; the response script posted a message'],
  [/^after-process-send-message-failed$/, () => "Delivered; the response script's message could not be posted"],
  [/^after-process-http-status-410$/, () => 'The target answered 410 Gone: integration disabled'],
  [/^after-process-http-status-500$/, () => 'The target answered 500 with a body: not retried'],
  [/^after-http-call-send-message-failed$/, () => "Delivered; the target's answer could not be posted"],
  [/^url-response-sent-message$/, () => "Delivered; the target's answer was posted as a message"],
  [/^failed-and-not-configured-to-retry$/, () => 'Failed; retries are off'],
  [/^failed-and-retry-delay-is-invalid$/, () => 'Failed; the retry delay setting is invalid'],
  [/^too-many-retries$/, () => 'Failed; no retries left'],
  [/^going-to-retry-(\d+)$/, (m) => `Failed; retry ${m[1]} is coming`],
];

export function stepWords(step: unknown): string {
  const text = asText(step);
  for (const [pattern, words] of STEP_WORDS) {
    const match = pattern.exec(text);
    if (match) return words(match);
  }
  return text;
}

/** `1 call`, `2 calls`. */
export const counted = (count: unknown, singular: string, plural = `${singular}s`): string => {
  const n = typeof count === 'number' ? count : Number(count ?? 0);
  return `${n} ${n === 1 ? singular : plural}`;
};
