import execa from 'execa';
import type { Logger } from 'pino';
import { FirewallStateError } from './errors';
import { createFakeBackend } from './fake/fake-backend';
import { createIptablesBackend } from './iptables/iptables-backend';
import { createNftStore } from './nft/nft-store';
import type { FirewallStore } from './store';
import { createTransactionStore } from './transaction-store';

export type FirewallBackendKind = 'nftables' | 'iptables' | 'fake';

export interface FirewallBackendConfig {
  readonly kind: FirewallBackendKind;
  /** Run the firewall commands inside this network namespace (the daemon's own when undefined). */
  readonly netnsPath?: string;
}

/** Builds the store of the chosen backend; nothing else in the daemon names one. */
export function selectFirewallStore(config: FirewallBackendConfig, log: Logger): FirewallStore {
  const { netnsPath } = config;
  switch (config.kind) {
    case 'nftables':
      return createNftStore({ log: log.child({ component: 'nftables' }), netnsPath });
    case 'iptables': {
      const backend = createIptablesBackend({ log: log.child({ component: 'iptables' }), netnsPath });
      return createTransactionStore({ backend, log });
    }
    case 'fake':
      return createTransactionStore({ backend: createFakeBackend(), log });
    default:
      throw new FirewallStateError(`unknown firewall backend ${JSON.stringify(config.kind)}`);
  }
}

/**
 * The default backend: nftables when `nft` is installed and the kernel answers it, iptables otherwise, and
 * always iptables on ChromeOS (where the rest of the system speaks iptables).
 */
export async function defaultFirewallBackend(options: {
  readonly chromeOs: boolean;
}): Promise<'nftables' | 'iptables'> {
  if (options.chromeOs) return 'iptables';
  const probe = await execa('nft', ['list', 'tables'], { reject: false, timeout: 5000 }).catch(
    () => undefined,
  );
  return probe?.exitCode === 0 ? 'nftables' : 'iptables';
}
