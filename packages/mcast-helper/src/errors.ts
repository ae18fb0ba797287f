/** Stable codes of every error this package raises. Callers branch on these, never on messages. */
export type McastErrorCode = 'PP_ERR_MCAST_INVALID_ARGUMENT' | 'PP_ERR_MCAST_GUEST_NOT_ADDED';

/** Base class of every error of the multicast helper. */
export class McastError extends Error {
  override readonly name = 'McastError';

  constructor(
    readonly code: McastErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
