import { ManagerError, messageOf } from '../errors';

export interface Failure {
  /** 2: bad arguments, nothing was sent; 1: the daemon refused, or the bus or daemon could not be reached. */
  readonly status: 1 | 2;
  readonly message: string;
}

/** What the D-Bus error names mean to a person running the CLI. */
const busErrorHints: Readonly<Record<string, string>> = {
  'org.freedesktop.DBus.Error.ServiceUnknown': 'is patchpaneld running on this bus?',
  'org.freedesktop.DBus.Error.NameHasNoOwner': 'is patchpaneld running on this bus?',
  'org.freedesktop.DBus.Error.AccessDenied': 'the bus policy does not let this user call it',
  'org.freedesktop.DBus.Error.NoReply': 'the daemon did not answer',
};

/** The exit status and the one-line message for an error the CLI ended with. */
export function describeFailure(err: unknown): Failure {
  if (!(err instanceof ManagerError)) {
    return { status: 1, message: messageOf(err) };
  }
  switch (err.code) {
    case 'PP_ERR_CLI_USAGE':
      return { status: 2, message: `${err.message} (see patchpanel --help)` };
    case 'PP_ERR_DBUS_REFUSED':
      return { status: 1, message: `${err.message} (the daemon logs why)` };
    case 'PP_ERR_DBUS_CALL': {
      const name = 'dbusErrorName' in err && typeof err.dbusErrorName === 'string' ? err.dbusErrorName : '';
      const hint = busErrorHints[name];
      return { status: 1, message: hint === undefined ? err.message : `${err.message}: ${hint}` };
    }
    case 'PP_ERR_CLI_BUS':
      return { status: 1, message: err.message };
    default: {
      const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
      return { status: 1, message: `${err.message}${cause}` };
    }
  }
}
