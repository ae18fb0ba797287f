/** Stable codes of every error this package raises. Callers branch on these, never on messages. */
export type NdProxyErrorCode =
  | 'PP_ERR_NDPROXY_INVALID_PAIR'
  | 'PP_ERR_NDPROXY_UNKNOWN_INTERFACE'
  | 'PP_ERR_NDPROXY_CLOSED'
  | 'PP_ERR_NDPROXY_SYSTEM';

/** Base class of every error of the ND proxy. */
export class NdProxyError extends Error {
  override readonly name = 'NdProxyError';

  constructor(
    readonly code: NdProxyErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
