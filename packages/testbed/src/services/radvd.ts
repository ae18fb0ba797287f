import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { assertInterfaceName } from '../names';
import type { Netns } from '../netns';
import type { TrackedProcess } from '../processes';
import type { Testbed } from '../testbed';
import type { Service } from './service';

export interface RadvdConfig {
  /** Interface to advertise on, e.g. 'lan0'. */
  readonly interface: string;
  /** Prefix advertised on-link and for SLAAC, e.g. '2001:db8:1::/64'. */
  readonly prefix: string;
  /** Seconds between unsolicited RAs (defaults 3..10: fast enough for tests). */
  readonly minIntervalS?: number;
  readonly maxIntervalS?: number;
  /** Recursive DNS servers to announce (RFC 8106). */
  readonly rdnss?: readonly string[];
}

export interface Radvd extends Service {
  readonly configPath: string;
  readonly process: TrackedProcess;
}

export function renderRadvdConfig(config: RadvdConfig): string {
  assertInterfaceName(config.interface);
  const rdnss = config.rdnss?.length ? [`  RDNSS ${config.rdnss.join(' ')} {`, '  };'] : [];
  return [
    `interface ${config.interface} {`,
    '  AdvSendAdvert on;',
    `  MinRtrAdvInterval ${config.minIntervalS ?? 3};`,
    `  MaxRtrAdvInterval ${config.maxIntervalS ?? 10};`,
    `  prefix ${config.prefix} {`,
    '    AdvOnLink on;',
    '    AdvAutonomous on;',
    '  };',
    ...rdnss,
    '};',
    '',
  ].join('\n');
}

/**
 * radvd in the foreground (`-n`, so the pid we hold is the daemon's), logging to stderr, with its config and
 * pid file in the run directory. It needs IPv6 forwarding on in `ns`. Ready once the pid file names it.
 */
export async function startRadvd(bed: Testbed, ns: Netns, config: RadvdConfig): Promise<Radvd> {
  const base = `${bed.runDir}/radvd-${ns.name}`;
  const configPath = `${base}.conf`;
  const pidFile = `${base}.pid`;
  writeFileSync(configPath, renderRadvdConfig(config), { mode: 0o644 });
  const argv = ['radvd', '-n', '-C', configPath, '-p', pidFile, '-m', 'stderr', '-d', '1'];
  const child = await bed.spawn(ns, argv, {
    ready: { check: (pid) => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() === String(pid) },
  });
  return {
    pid: child.pid,
    configPath,
    process: child,
    stop: async () => {
      await child.stop();
    },
  };
}
