import { connect, type Socket } from 'node:net';
import { AdbProxyError, messageOf } from './errors';
import { type AdbTarget, describeTarget } from './targets';

/** A target that was tried and why it failed, for the log line of a refused client. */
export interface FailedTarget {
  readonly target: string;
  readonly error: string;
}

function connectOne(target: AdbTarget, timeoutMs: number, signal: AbortSignal): Promise<Socket> {
  const options =
    target.kind === 'unix' ? { path: target.path } : { host: target.address, port: target.port };
  const socket = connect({ ...options, allowHalfOpen: true });
  // Paused before the connect completes: nothing is read into JS, so a relay can take the socket over whole.
  socket.pause();
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      settle();
      socket.destroy();
      reject(error);
    };
    const onConnect = () => {
      settle();
      resolve(socket);
    };
    const onAbort = () => fail(new Error('the client went away'));
    const timer = setTimeout(
      () => fail(new AdbProxyError('PP_ERR_ADB_CONNECT_TIMEOUT', `no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const settle = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect).off('error', fail);
    };
    socket.once('connect', onConnect).once('error', fail);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Connects to the first target that accepts, never blocking the event loop. Rejects with PP_ERR_ADB_NO_TARGET,
 * listing why each target failed, when none does or `signal` aborts first.
 */
export async function connectFirst(
  targets: readonly AdbTarget[],
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ socket: Socket; target: AdbTarget }> {
  const failures: FailedTarget[] = [];
  for (const target of targets) {
    if (signal.aborted) break;
    try {
      return { socket: await connectOne(target, timeoutMs, signal), target };
    } catch (error) {
      failures.push({ target: describeTarget(target), error: messageOf(error) });
    }
  }
  const tried = failures.map(({ target, error }) => `${target}: ${error}`).join('; ');
  throw new AdbProxyError('PP_ERR_ADB_NO_TARGET', `no adbd target accepted (${tried || 'none tried'})`);
}
