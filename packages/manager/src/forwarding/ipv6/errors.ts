import { ManagerError } from '../../errors';

/** A report from the ND proxy the manager refuses: it names no proxied interface or an address it may not use. */
export class Ipv6ReportError extends ManagerError {
  readonly code = 'PP_ERR_IPV6_REPORT';
}
