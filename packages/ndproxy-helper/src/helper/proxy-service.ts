import { type DeviceChange, type Envelope, ndProxyEnvelope } from '@patchpanel/ipc';
import type { Logger } from 'pino';
import type { NdProxy, NdProxyEvent } from '../proxy';

export type ManagedProxy = Pick<NdProxy, 'addPair' | 'removePair' | 'removeUpstream' | 'close' | 'stats'>;

export interface ProxyServiceOptions {
  /** A fresh proxy whose discoveries go to `onEvent`. */
  readonly createProxy: (onEvent: (event: NdProxyEvent) => void) => ManagedProxy;
  /** Sends an envelope to the manager. */
  readonly send: (envelope: Envelope) => void;
  readonly logger: Logger;
}

/** The helper's side of the manager: DeviceMessages drive the proxy, its discoveries become NDProxyMessages. */
export class ProxyService {
  private proxy: ManagedProxy;

  constructor(private readonly options: ProxyServiceOptions) {
    this.proxy = this.create();
  }

  apply(change: DeviceChange): void {
    if (change.action === 'start') {
      try {
        this.proxy.addPair(change.upstream, change.guest);
      } catch (err) {
        this.options.logger.error(
          { err, upstream: change.upstream, guest: change.guest },
          'pair not started',
        );
      }
    } else if (change.action === 'stop') {
      this.proxy.removePair(change.upstream, change.guest);
    } else if (change.action === 'remove-upstream') {
      this.proxy.removeUpstream(change.upstream);
    }
  }

  /** A state replay begins: everything held goes, the replay brings the pairs back. */
  reset(): void {
    this.proxy.close();
    this.proxy = this.create();
  }

  close(): void {
    this.options.logger.info({ stats: this.proxy.stats() }, 'proxy closed');
    this.proxy.close();
  }

  private create(): ManagedProxy {
    return this.options.createProxy((event) => this.options.send(ndProxyEnvelope(event)));
  }
}
