import { EventEmitter } from 'node:events';
import { ClosedError, callNative, type NetioError, translateNativeError } from './errors';

/** What PacketSocket and TapDevice share on the native side (native/frame_port.h). */
export interface NativePort {
  onerror?: (error: Error) => void;
  close(): void;
  ref(): void;
  unref(): void;
}

/** Open/closed bookkeeping of an evented native port; the owner emits its own events. */
export class PortState {
  private closedFlag = false;

  constructor(
    private readonly what: string,
    private readonly handle: NativePort,
    onFailure: (error: NetioError) => void,
  ) {
    handle.onerror = (error) => {
      this.closedFlag = true; // the native side closed itself
      onFailure(translateNativeError(`read from ${what}`, error) as NetioError);
    };
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  check(): void {
    if (this.closedFlag) throw new ClosedError(this.what);
  }

  close(): void {
    this.check();
    this.closedFlag = true;
    callNative(`close ${this.what}`, () => this.handle.close());
  }

  setReferenced(referenced: boolean): void {
    this.check();
    if (referenced) {
      this.handle.ref();
    } else {
      this.handle.unref();
    }
  }
}

export interface PortEvents {
  error: [NetioError];
  close: [];
}

/**
 * The JS face of an evented native port: 'error' then 'close' when the native side fails, ref/unref to let
 * the process exit while it is open, close(). Subclasses add their 'frame' event and their send path.
 */
export abstract class PortEmitter<E extends PortEvents & Record<keyof E, unknown[]>> extends EventEmitter<E> {
  protected readonly port: PortState;

  constructor(what: string, handle: NativePort) {
    super();
    // EventEmitter<E> cannot type-check an event name against a generic E; every E has these two.
    const events = this as unknown as EventEmitter<PortEvents>;
    this.port = new PortState(what, handle, (error) => {
      events.emit('error', error);
      events.emit('close');
    });
  }

  get closed(): boolean {
    return this.port.closed;
  }

  /** Lets the process exit while the port is open (like dgram's unref). */
  unref(): this {
    this.port.setReferenced(false);
    return this;
  }

  ref(): this {
    this.port.setReferenced(true);
    return this;
  }

  /** Closes the port; a second close throws ClosedError. */
  close(): void {
    this.port.close();
    (this as unknown as EventEmitter<PortEvents>).emit('close');
  }
}
