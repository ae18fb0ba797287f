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
