import { IntegrationHistory } from '../entities/integration-history.entity';

/** A history record as Rocket.Chat returns it: fields never set are left out. */
export function toApiHistory(h: IntegrationHistory): Record<string, unknown> {
  const optional: Record<string, unknown> = {
    data: h.data,
    triggerWord: h.triggerWord,
    ranPrepareScript: h.ranPrepareScript,
    prepareSentMessage: h.prepareSentMessage,
    processSentMessage: h.processSentMessage,
    resultMessage: h.resultMessage,
    finished: h.finished,
    url: h.url,
    httpCallData: h.httpCallData,
    // Hookline's addition beside Rocket.Chat's fields: the headers sent, credentials masked.
    requestHeaders: h.requestHeaders,
    httpError: h.httpError,
    httpResult: h.httpResult,
    error: h.error,
    errorStack: h.errorStack,
  };
  return {
    _id: h.id,
    type: h.type,
    step: h.step,
    integration: h.integration,
    event: h.event,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null && v !== undefined)),
    _createdAt: h.createdAt.toISOString(),
    _updatedAt: h.updatedAt.toISOString(),
  };
}
