import { ManagerError, messageOf } from '../errors';

export class GuestRequestError extends ManagerError {
  readonly code = 'PP_ERR_GUEST_REQUEST';
}

export class GuestSetupError extends ManagerError {
  readonly code = 'PP_ERR_GUEST_SETUP';
}

/** Teardown ran every step; these are the ones that failed. */
export class GuestTeardownError extends ManagerError {
  readonly code = 'PP_ERR_GUEST_TEARDOWN';

  constructor(
    message: string,
    readonly errors: readonly unknown[],
  ) {
    super(`${message}: ${errors.map(messageOf).join('; ')}`);
  }
}
