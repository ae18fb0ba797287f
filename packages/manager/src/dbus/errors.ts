import { ManagerError } from '../errors';

/** The request bytes are not a message of the expected type (or are too large to try). */
export class UndecodableRequestError extends ManagerError {
  readonly code = 'PP_ERR_DBUS_UNDECODABLE';
}

/** The request decoded but a field is out of range, unknown or hostile. `field` names the proto field. */
export class InvalidRequestError extends ManagerError {
  readonly code = 'PP_ERR_DBUS_INVALID_REQUEST';

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** A call to one of our methods with another D-Bus signature than ours (e.g. ConnectNamespace without its fd). */
export class UnexpectedSignatureError extends ManagerError {
  readonly code = 'PP_ERR_DBUS_SIGNATURE';
}

/** Client side: the bus or the daemon answered with a D-Bus error (e.g. AccessDenied), or the call failed. */
export class DbusCallError extends ManagerError {
  readonly code = 'PP_ERR_DBUS_CALL';

  constructor(
    message: string,
    /** The D-Bus error name, e.g. 'org.freedesktop.DBus.Error.AccessDenied', when there was one. */
    readonly dbusErrorName: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Client side: the daemon answered with the empty or success=false response (it logs why). */
export class RequestRefusedError extends ManagerError {
  readonly code = 'PP_ERR_DBUS_REFUSED';
}

/** Client side: the daemon's answer is not the response message it should be. */
export class UndecodableResponseError extends ManagerError {
  readonly code = 'PP_ERR_DBUS_BAD_RESPONSE';
}

/** Client side: the pipe whose write end ConnectNamespace hands over could not be made. */
export class LifelinePipeError extends ManagerError {
  readonly code = 'PP_ERR_DBUS_LIFELINE_PIPE';
}
