import { ManagerError } from '../errors';

/** A device-source option that cannot work: a bad name pattern, a rule priority out of range. */
export class DeviceConfigError extends ManagerError {
  readonly code = 'PP_ERR_DEVICE_CONFIG';
}

/** An rtnetlink request failed; `errno` is the kernel's answer (`EEXIST`, `ENOENT`, …) when it gave one. */
export class NetlinkError extends ManagerError {
  readonly code = 'PP_ERR_DEVICE_NETLINK';

  constructor(
    message: string,
    readonly errno: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** shill could not be reached or answered something unusable. */
export class ShillError extends ManagerError {
  readonly code = 'PP_ERR_SHILL';
}

/** Some routing changes failed; every change was attempted, `failures` holds each error. */
export class RoutingError extends ManagerError {
  readonly code = 'PP_ERR_DEVICE_ROUTING';

  constructor(
    message: string,
    readonly failures: readonly Error[],
  ) {
    super(message, { cause: failures[0] });
  }
}
