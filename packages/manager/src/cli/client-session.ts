import * as dbus from 'dbus-next';
import { PatchPanelClient } from '../dbus/client';
import { SYSTEM_BUS_ADDRESS } from '../dbus/service-bus';
import { CliBusError } from './errors';

/**
 * A PatchPanelClient whose calls fail instead of waiting forever when the bus connection breaks (dbus-next
 * reports a missing socket only as an 'error' event, and leaves pending calls unsettled).
 */
export class ClientSession {
  readonly address: string;
  private readonly client: PatchPanelClient;
  private readonly broken: Promise<never>;
  private connected = true;

  constructor(busAddress: string | undefined) {
    this.address = busAddress ?? process.env.DBUS_SYSTEM_BUS_ADDRESS ?? SYSTEM_BUS_ADDRESS;
    let bus: dbus.MessageBus;
    try {
      // negotiateUnixFd is accepted but missing from the typings; ConnectNamespace passes an fd.
      bus = dbus.sessionBus({ busAddress: this.address, negotiateUnixFd: true } as dbus.SessionBusOptions);
    } catch (cause) {
      throw new CliBusError(`cannot use the bus address ${this.address}`, { cause });
    }
    this.broken = new Promise<never>((_, reject) => {
      bus.on('error', (cause: unknown) => {
        this.connected = false;
        const code = (cause as { code?: unknown } | undefined)?.code;
        const why = typeof code === 'string' ? ` (${code})` : '';
        reject(new CliBusError(`cannot talk to the bus at ${this.address}${why}`, { cause }));
      });
    });
    this.broken.catch(() => {}); // observed through run() and whenBroken()
    this.client = new PatchPanelClient(bus);
  }

  /** Runs `call` with the client; rejects with CliBusError as soon as the connection fails. */
  run<T>(call: (client: PatchPanelClient) => Promise<T>): Promise<T> {
    return Promise.race([call(this.client), this.broken]);
  }

  /** Rejects when the connection fails. */
  whenBroken(): Promise<never> {
    return this.broken;
  }

  close(): void {
    // Disconnecting a connection whose bus went away can abort the process (dbus-next over usocket).
    if (this.connected) this.client.disconnect();
    this.connected = false;
  }
}
