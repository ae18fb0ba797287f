import { ManagerError } from '../../errors';

/** A netlink request the kernel refused; `errno` is its name (EEXIST, ENODEV, …). */
export class NetlinkRequestError extends ManagerError {
  readonly code = 'PP_ERR_NETLINK';

  constructor(
    message: string,
    readonly errno: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
