/** Stable codes of every error the test bed raises. Callers branch on these, never on messages. */
export type TestbedErrorCode =
  | 'PP_ERR_TESTBED_INVALID_ARGUMENT'
  | 'PP_ERR_TESTBED_PRIVILEGE'
  | 'PP_ERR_TESTBED_COMMAND'
  | 'PP_ERR_TESTBED_TIMEOUT'
  | 'PP_ERR_TESTBED_PROCESS_EXITED'
  | 'PP_ERR_TESTBED_STATE'
  | 'PP_ERR_TESTBED_CLOSED'
  | 'PP_ERR_TESTBED_TEARDOWN'
  | 'PP_ERR_TESTBED_DNS_MALFORMED'
  | 'PP_ERR_TESTBED_PEER';

/** Base class of every error of the test bed. */
export abstract class TestbedError extends Error {
  abstract readonly code: TestbedErrorCode;
}

/** A label, interface name, port or option is out of range; nothing was created. */
export class InvalidArgumentError extends TestbedError {
  readonly code = 'PP_ERR_TESTBED_INVALID_ARGUMENT';
  override readonly name = 'InvalidArgumentError';
}

/** The process lacks root / CAP_NET_ADMIN / CAP_SYS_ADMIN, so no namespace can be built. */
export class PrivilegeError extends TestbedError {
  readonly code = 'PP_ERR_TESTBED_PRIVILEGE';
  override readonly name = 'PrivilegeError';
}

/** An external command failed; `stderr` carries its own explanation. */
export class CommandError extends TestbedError {
  readonly code = 'PP_ERR_TESTBED_COMMAND';
  override readonly name = 'CommandError';

  constructor(
    readonly argv: readonly string[],
    readonly exitCode: number | undefined,
    readonly stderr: string,
    options?: ErrorOptions,
  ) {
    super(`${argv.join(' ')} failed (exit ${exitCode ?? 'none'}): ${stderr.trim() || 'no stderr'}`, options);
  }
}

/** Something the bed waited for (readiness, an address, a process exit) did not happen in time. */
export class TimeoutError extends TestbedError {
  readonly code = 'PP_ERR_TESTBED_TIMEOUT';
  override readonly name = 'TimeoutError';
}

/** A long-lived process exited before it became ready; `output` is the tail of what it printed. */
export class ProcessExitedError extends TestbedError {
  readonly code = 'PP_ERR_TESTBED_PROCESS_EXITED';
  override readonly name = 'ProcessExitedError';

  constructor(
    readonly argv: readonly string[],
    readonly output: string,
    message: string,
  ) {
    super(`${message}: ${argv.join(' ')}\n${output}`);
  }
}

/** A run state file is unreadable or does not have the expected shape. */
export class StateError extends TestbedError {
  readonly code = 'PP_ERR_TESTBED_STATE';
  override readonly name = 'StateError';
}

/** The bed was used after `teardown()`. */
export class ClosedError extends TestbedError {
  readonly code = 'PP_ERR_TESTBED_CLOSED';
  override readonly name = 'ClosedError';
}

/** Teardown ran every step but some failed; each failure is in `errors`. */
export class TeardownError extends TestbedError {
  readonly code = 'PP_ERR_TESTBED_TEARDOWN';
  override readonly name = 'TeardownError';

  constructor(readonly errors: readonly unknown[]) {
    super(`teardown finished with ${errors.length} error(s): ${errors.map(describeError).join('; ')}`);
  }
}

/** A DNS message does not parse (truncated, bad label, pointer loop). */
export class DnsMalformedError extends TestbedError {
  readonly code = 'PP_ERR_TESTBED_DNS_MALFORMED';
  override readonly name = 'DnsMalformedError';
}

/** A helper peer script (echo client, mDNS query) printed something that is not its result. */
export class PeerError extends TestbedError {
  readonly code = 'PP_ERR_TESTBED_PEER';
  override readonly name = 'PeerError';
}

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
