import { ManagerError } from '../../errors';
import type { Family } from './model';

/** A value or rule the firewall refuses to build (bad name, port, mark, address, table/target mix). */
export class FirewallRuleError extends ManagerError {
  readonly code = 'PP_ERR_FIREWALL_RULE';
}

/** A request the firewall's current state does not allow (not started, dangling chain reference, …). */
export class FirewallStateError extends ManagerError {
  readonly code = 'PP_ERR_FIREWALL_STATE';
}

/** A backend transaction for one family was refused; tables committed before the failing one stay. */
export class FirewallCommitError extends ManagerError {
  readonly code = 'PP_ERR_FIREWALL_COMMIT';

  constructor(
    /** `inet`: one transaction for both families (nftables). */
    readonly family: Family | 'inet',
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(`${family} firewall transaction failed: ${detail}`, options);
  }
}

/** The backend's current rules could not be read or parsed. */
export class FirewallInspectError extends ManagerError {
  readonly code = 'PP_ERR_FIREWALL_INSPECT';
}

/** Applying an owner failed; what had succeeded was rolled back (`rollbackErrors` lists what could not be). */
export class FirewallApplyError extends ManagerError {
  readonly code = 'PP_ERR_FIREWALL_APPLY';

  constructor(
    message: string,
    readonly rollbackErrors: readonly Error[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Removal ran every step; these are the steps that failed. */
export class FirewallTeardownError extends ManagerError {
  readonly code = 'PP_ERR_FIREWALL_TEARDOWN';

  constructor(
    message: string,
    readonly errors: readonly Error[],
  ) {
    super(`${message}: ${errors.map((e) => e.message).join('; ')}`, { cause: errors[0] });
  }
}
