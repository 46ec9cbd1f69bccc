/** The script methods an outgoing delivery may call. */
export type OutgoingScriptMethod = 'prepare_outgoing_request' | 'process_outgoing_response';

/** Every `step` an outgoing history record can stand at: Rocket.Chat's names (spec §5.3, §5.8). */
export type HistoryStep =
  | 'start-execute-trigger-url'
  | 'mapped-args-to-data'
  | 'execute-script-getting-script'
  | `execute-script-before-running-${OutgoingScriptMethod}`
  | `execute-script-error-running-${OutgoingScriptMethod}`
  | 'after-maybe-ran-prepare'
  | 'after-prepare-no-opts'
  | 'after-prepare-send-message'
  | 'after-prepare-send-message-failed'
  | 'after-prepare-no-url_or_method'
  | 'pre-http-call'
  | 'after-http-call'
  | 'after-process-false-result'
  | 'after-process-send-message'
  | 'after-process-send-message-failed'
  | 'after-process-http-status-410'
  | 'after-process-http-status-500'
  | 'after-http-call-send-message-failed'
  | 'url-response-sent-message'
  | 'failed-and-not-configured-to-retry'
  | 'failed-and-retry-delay-is-invalid'
  | 'too-many-retries'
  | `going-to-retry-${number}`;

/**
 * The steps at which an attempt ended badly (a retry is coming, retries ran out, the target or the
 * script failed); with `error`, what the history's outcome filter and the admin UI call failed.
 * A POSIX regular expression, so SQL (`step ~ ...`) and JavaScript read the same rule.
 */
export const FAILED_STEP_PATTERN = '^going-to-retry-|^too-many-retries$|^failed-|^after-process-http-status-|error|-failed$';
