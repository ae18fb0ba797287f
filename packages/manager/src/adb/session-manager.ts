import { Message, type MessageBus } from 'dbus-next';
import { AdbPolicyError } from './errors';

export const SESSION_MANAGER_SERVICE = 'org.chromium.SessionManager';
const SESSION_MANAGER_PATH = '/org/chromium/SessionManager';
const SESSION_MANAGER_INTERFACE = 'org.chromium.SessionManagerInterface';

/** The original's bound on each call to the session manager. */
export const SIDELOAD_CALL_TIMEOUT_MS = 200;

/** One `QueryAdbSideload` call: whether the user enabled ADB sideloading. Rejects after `timeoutMs`. */
export async function queryAdbSideload(
  bus: MessageBus,
  timeoutMs = SIDELOAD_CALL_TIMEOUT_MS,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AdbPolicyError(`QueryAdbSideload: no answer in ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const call = bus.call(
    new Message({
      destination: SESSION_MANAGER_SERVICE,
      path: SESSION_MANAGER_PATH,
      interface: SESSION_MANAGER_INTERFACE,
      member: 'QueryAdbSideload',
    }),
  );
  try {
    const reply = await Promise.race([call, timeout]);
    const [enabled] = reply?.body ?? [];
    if (typeof enabled !== 'boolean')
      throw new AdbPolicyError('QueryAdbSideload: the reply is not a boolean');
    return enabled;
  } catch (err) {
    if (err instanceof AdbPolicyError) throw err;
    throw new AdbPolicyError('QueryAdbSideload failed', { cause: err });
  } finally {
    clearTimeout(timer);
  }
}
