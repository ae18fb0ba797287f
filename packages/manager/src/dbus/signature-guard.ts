import type { Message } from 'dbus-next';
import type { Logger } from 'pino';
import { UnexpectedSignatureError } from './errors';
import { logFailedCall } from './failure-log';
import { fdsInBody } from './message-fds';
import { INTERFACE_NAME, METHOD_SIGNATURES, OBJECT_PATH } from './names';
import { FAILURE_RESPONSE } from './responses';

export interface SignatureGuardOptions {
  readonly logger: Logger;
  readonly closeFd: (fd: number) => void;
  /** Sends `response` as the single `ay` of the method return to `call`. */
  readonly reply: (call: Message, response: Buffer) => void;
}

/**
 * A dbus-next method handler that runs before the exported interface and catches the calls to our object
 * that the interface will not dispatch. dbus-next only dispatches an exact member and signature; anything
 * else would get a D-Bus error and leak the fds it carried. This closes those fds, and answers a call to
 * one of our methods with the wrong signature (e.g. ConnectNamespace without its fd) with the failure
 * response, as the original daemon does. Returns whether it answered the call.
 */
export function createSignatureGuard(options: SignatureGuardOptions): (call: Message) => boolean {
  const { logger, closeFd, reply } = options;
  return (call) => {
    const iface: string | undefined = call.interface;
    if (call.path !== OBJECT_PATH || (iface !== undefined && iface !== INTERFACE_NAME)) return false;
    const signature = call.signature ?? '';
    const expected = Object.hasOwn(METHOD_SIGNATURES, call.member)
      ? METHOD_SIGNATURES[call.member as keyof typeof METHOD_SIGNATURES]
      : undefined;
    if (iface !== undefined && expected === signature) return false;
    for (const fd of fdsInBody(signature, call.body ?? [])) closeFd(fd);
    if (iface === undefined || expected === undefined) return false;
    logFailedCall(
      logger,
      call.member,
      new UnexpectedSignatureError(`called with signature "${signature}" instead of "${expected}"`),
    );
    reply(call, FAILURE_RESPONSE);
    return true;
  };
}
