/** Stable codes of every error this package raises. Callers branch on these, never on messages. */
export type AdbProxyErrorCode = 'PP_ERR_ADB_CONFIG' | 'PP_ERR_ADB_NO_TARGET' | 'PP_ERR_ADB_CONNECT_TIMEOUT';

/** Base class of every error of the adb-proxy. */
export class AdbProxyError extends Error {
  override readonly name = 'AdbProxyError';

  constructor(
    readonly code: AdbProxyErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The message of whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A configuration value that is not accepted: which field (dotted, e.g. `tcpTarget.port`) and why. */
export class AdbConfigError extends AdbProxyError {
  constructor(
    readonly field: string,
    readonly why: string,
    message: string,
  ) {
    super('PP_ERR_ADB_CONFIG', message);
  }
}
