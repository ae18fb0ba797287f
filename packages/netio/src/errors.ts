/** Stable codes callers branch on. */
export type NetioErrorCode =
  | 'PP_ERR_NETIO_SYSCALL'
  | 'PP_ERR_NETIO_INVALID_ARGUMENT'
  | 'PP_ERR_NETIO_CLOSED'
  | 'PP_ERR_NETIO_ADDON_MISSING'
  | 'PP_ERR_NETIO_MAIN_THREAD'
  | 'PP_ERR_NETIO_NETNS_TASK';

export class NetioError extends Error {
  override readonly name: string = 'NetioError';
  readonly code: NetioErrorCode;

  constructor(code: NetioErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A system call failed; `errnoName` is e.g. 'ENODEV', `syscall` e.g. 'bind'. */
export class SyscallError extends NetioError {
  override readonly name = 'SyscallError';
  readonly errnoName: string;
  readonly errno: number;
  readonly syscall: string;

  constructor(operation: string, native: NativeSyscallError) {
    super('PP_ERR_NETIO_SYSCALL', `${operation}: ${native.message}`, { cause: native });
    this.errnoName = native.code;
    this.errno = native.errno ?? 0;
    this.syscall = native.syscall;
  }
}

export class InvalidArgumentError extends NetioError {
  override readonly name = 'InvalidArgumentError';

  constructor(message: string, options?: { cause?: unknown }) {
    super('PP_ERR_NETIO_INVALID_ARGUMENT', message, options);
  }
}

export class ClosedError extends NetioError {
  override readonly name = 'ClosedError';

  constructor(what: string) {
    super('PP_ERR_NETIO_CLOSED', `${what} is closed`);
  }
}

export class AddonMissingError extends NetioError {
  override readonly name = 'AddonMissingError';

  constructor(path: string, cause: unknown) {
    super('PP_ERR_NETIO_ADDON_MISSING', `netio native addon not loadable from ${path} (run npm ci)`, {
      cause,
    });
  }
}

export class MainThreadError extends NetioError {
  override readonly name = 'MainThreadError';

  constructor() {
    super('PP_ERR_NETIO_MAIN_THREAD', 'refusing to switch the network namespace of the main thread');
  }
}

/** A task run inside a namespace worker threw, or the worker died; `cause` carries what is known. */
export class NetnsTaskError extends NetioError {
  override readonly name = 'NetnsTaskError';

  constructor(message: string, options?: { cause?: unknown }) {
    super('PP_ERR_NETIO_NETNS_TASK', message, options);
  }
}

/** The shape of errors thrown by the native addon for a failed syscall. */
export interface NativeSyscallError extends Error {
  code: string;
  errno?: number;
  syscall: string;
}

// Duck-typed, not instanceof: the addon creates its errors in the main realm, which is not the realm of code
// running in a vm context (jest).
function isNativeSyscallError(error: unknown): error is NativeSyscallError {
  const candidate = error as Partial<NativeSyscallError> | null;
  return typeof candidate?.code === 'string' && typeof candidate.syscall === 'string';
}

function isNativeArgumentError(error: unknown): error is Error {
  const candidate = error as { name?: unknown; code?: unknown } | null;
  return candidate?.name === 'TypeError' && candidate.code === 'EINVAL';
}

/** Runs a native call and turns its errors into coded ones. */
export function callNative<T>(operation: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw translateNativeError(operation, error);
  }
}

export function translateNativeError(operation: string, error: unknown): unknown {
  if (isNativeSyscallError(error)) return new SyscallError(operation, error);
  if (isNativeArgumentError(error)) {
    return new InvalidArgumentError(`${operation}: ${error.message}`, { cause: error });
  }
  return error;
}
