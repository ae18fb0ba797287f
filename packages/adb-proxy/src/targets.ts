import type { AdbProxyConfig } from './config';
import type { AndroidGuest } from './gate';

/** One way to reach adbd: a Unix stream socket or a TCP address. */
export type AdbTarget =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly address: string; readonly port: number };

/**
 * The targets to try, in order: ARC++'s Unix socket first, then TCP to the guest's management address for both
 * guests. ARCVM's vsock is not offered: see the README.
 */
export function targetsFor(guest: AndroidGuest, config: AdbProxyConfig): AdbTarget[] {
  const tcp: AdbTarget = { kind: 'tcp', ...config.tcpTarget };
  return guest.kind === 'arc' ? [{ kind: 'unix', path: config.containerSocket }, tcp] : [tcp];
}

export function describeTarget(target: AdbTarget): string {
  return target.kind === 'unix' ? `unix:${target.path}` : `${target.address}:${target.port}`;
}
