/** Base of every error the manager raises; callers branch on `code`, never on the message. */
export abstract class ManagerError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The message of anything thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class SeccompPolicyError extends ManagerError {
  readonly code = 'PP_ERR_SECCOMP_POLICY';
}

export class ConfigError extends ManagerError {
  readonly code = 'PP_ERR_CONFIG';
}

export class JailError extends ManagerError {
  readonly code = 'PP_ERR_JAIL';
}

export class HelperError extends ManagerError {
  readonly code = 'PP_ERR_HELPER';
}

export class BusError extends ManagerError {
  readonly code = 'PP_ERR_BUS';
}
