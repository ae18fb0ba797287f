import { EventEmitter } from 'node:events';
import net from 'node:net';
import { binding, type NativeSpliceRelay } from './binding';
import { callNative, InvalidArgumentError, NetioError, translateNativeError } from './errors';
import { socketFd } from './socket-fd';
import { assertInteger } from './validate';

export interface SpliceOptions {
  /** Capacity of each direction's pipe (F_SETPIPE_SZ), default 1 MiB; lowered silently to what the kernel grants. */
  pipeBytes?: number;
}

export interface SpliceRelayResult {
  /** Bytes delivered from a to b. */
  readonly aToB: number;
  /** Bytes delivered from b to a. */
  readonly bToA: number;
  /** Set when the relay ended by an error or a reset (close() included), not by EOF on both sides. */
  readonly error?: NetioError;
}

export interface SpliceRelayEvents {
  close: [SpliceRelayResult];
}

const DEFAULT_PIPE_BYTES = 1 << 20;
const MIN_PIPE_BYTES = 4096;
const MAX_PIPE_BYTES = 1 << 30;

/** A running relay between two sockets; 'close' comes exactly once, after every fd and pipe is closed. */
export class SpliceRelay extends EventEmitter<SpliceRelayEvents> {
  private closedFlag = false;
  private closeRequested = false;

  /** @internal use spliceSockets */
  constructor(private readonly handle: NativeSpliceRelay) {
    super();
    handle.onclose = (aToB, bToA, nativeError) => {
      this.closedFlag = true;
      const error =
        nativeError !== null
          ? (translateNativeError('splice relay', nativeError) as NetioError)
          : this.closeRequested
            ? new NetioError('PP_ERR_NETIO_CLOSED', 'splice relay closed by close()')
            : undefined;
      const result: SpliceRelayResult = error === undefined ? { aToB, bToA } : { aToB, bToA, error };
      process.nextTick(() => this.emit('close', result));
    };
  }

  /** True once the relay has ended ('close' may still be on its way). */
  get closed(): boolean {
    return this.closedFlag;
  }

  /** Ends the relay now: both sockets are closed (with RST, SO_LINGER 0) and 'close' follows. Idempotent. */
  close(): void {
    if (this.closedFlag) return;
    this.closeRequested = true;
    callNative('close splice relay', () => this.handle.close());
  }

  /** Keeps the process alive while the relay runs (the default). */
  ref(): this {
    if (!this.closedFlag) this.handle.ref();
    return this;
  }

  /** Lets the process exit while the relay runs; the relay keeps running as long as the process does. */
  unref(): this {
    if (!this.closedFlag) this.handle.unref();
    return this;
  }
}

/** Why `socket` cannot be handed over to a relay; undefined when it can. */
function unrelayable(socket: net.Socket): string | undefined {
  if (!(socket instanceof net.Socket)) return 'is not a net.Socket';
  if (socket.destroyed) return 'is destroyed';
  if (socket.pending) return 'is not connected';
  if (socket.readyState !== 'open') return `is not open both ways (${socket.readyState})`;
  if (socket.readableFlowing === true) return 'is flowing (pause it first)';
  if (socket.readableLength > 0) return `holds ${socket.readableLength} bytes read into JS`;
  if (socket.writableLength > 0) return `holds ${socket.writableLength} bytes not yet written`;
  return undefined;
}

function relayableFd(name: 'a' | 'b', socket: net.Socket): number {
  const problem = unrelayable(socket);
  if (problem !== undefined) throw new InvalidArgumentError(`spliceSockets: socket ${name} ${problem}`);
  return socketFd(socket, `spliceSockets: socket ${name}`);
}

/**
 * Moves bytes both ways between two connected stream sockets inside the kernel (splice through a pipe per
 * direction). Takes the sockets over: each must be connected and paused with nothing buffered in JS; the relay
 * duplicates their fds and destroys the JS sockets. Throws before touching either socket when one does not fit.
 */
export function spliceSockets(a: net.Socket, b: net.Socket, options: SpliceOptions = {}): SpliceRelay {
  const pipeBytes = options.pipeBytes ?? DEFAULT_PIPE_BYTES;
  assertInteger('pipeBytes', pipeBytes, MIN_PIPE_BYTES, MAX_PIPE_BYTES);
  if (a === b) throw new InvalidArgumentError('spliceSockets: a and b are the same socket');
  const fdA = relayableFd('a', a);
  const fdB = relayableFd('b', b);
  const handle = callNative('start splice relay', () => new (binding().SpliceRelay)(fdA, fdB, pipeBytes));
  const relay = new SpliceRelay(handle);
  // The relay owns its duplicates; the JS sockets only give up theirs (no shutdown, no reset).
  a.destroy();
  b.destroy();
  return relay;
}
