import type { Logger } from 'pino';
import { ManagerError, messageOf } from '../errors';
import { InvalidRequestError, UndecodableRequestError, UnexpectedSignatureError } from './errors';

/** The code logged when a service throws something that is not a ManagerError. */
export const UNEXPECTED_ERROR_CODE = 'PP_ERR_UNEXPECTED';

/**
 * One line per failed call: a warning with the reason when the request was refused at the edge (the caller's
 * fault), an error with the cause when a service failed. The caller then replies with the failure response.
 */
export function logFailedCall(logger: Logger, method: string, err: unknown): void {
  if (err instanceof InvalidRequestError) {
    logger.warn({ method, code: err.code, field: err.field, reason: err.message }, 'request rejected');
  } else if (err instanceof UndecodableRequestError || err instanceof UnexpectedSignatureError) {
    logger.warn({ method, code: err.code, reason: err.message }, 'request rejected');
  } else {
    const code = err instanceof ManagerError ? err.code : UNEXPECTED_ERROR_CODE;
    logger.error({ method, code, reason: messageOf(err), err }, 'request failed');
  }
}
