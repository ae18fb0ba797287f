import { ManagerError } from '../errors';

/** The ADB policy could not be learnt (the session manager did not answer, or answered nonsense). */
export class AdbPolicyError extends ManagerError {
  readonly code = 'PP_ERR_ADB_POLICY';
}
