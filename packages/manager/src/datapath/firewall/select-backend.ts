import type { Logger } from 'pino';
import type { FirewallBackend } from './backend';
import { FirewallStateError } from './errors';
import { createFakeBackend } from './fake/fake-backend';
import { createIptablesBackend } from './iptables/iptables-backend';

export type FirewallBackendKind = 'iptables' | 'fake';

export interface FirewallBackendConfig {
  readonly kind: FirewallBackendKind;
  /** Run the firewall commands inside this network namespace (the daemon's own when undefined). */
  readonly netnsPath?: string;
}

/** Chooses the backend once, at start; nothing else in the daemon names one. */
export function selectFirewallBackend(config: FirewallBackendConfig, log: Logger): FirewallBackend {
  switch (config.kind) {
    case 'iptables':
      return createIptablesBackend({
        log: log.child({ component: 'iptables' }),
        netnsPath: config.netnsPath,
      });
    case 'fake':
      return createFakeBackend();
    default:
      throw new FirewallStateError(`unknown firewall backend ${JSON.stringify(config.kind)}`);
  }
}
