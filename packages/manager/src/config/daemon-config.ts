import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AdbConfigError, checkConfig } from '@patchpanel/adb-proxy';
import { z } from 'zod';
import { ConfigError } from '../errors';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
const jailKinds = ['minijail', 'bwrap', 'none'] as const;

const milliseconds = (fallback: number) => z.number().int().min(1).max(3_600_000).default(fallback);

/** Everything has a default: an empty file (or none) is a valid configuration. */
export const daemonConfigSchema = z
  .object({
    logLevel: z.enum(logLevels).default('info'),
    /** Unset: minijail0 when installed, else bwrap. */
    jail: z.enum(jailKinds).optional(),
    /** A user name or a numeric `uid:gid`. */
    helperUser: z
      .string()
      .regex(/^([a-z_][a-z0-9_-]{0,31}|\d+:\d+)$/)
      .default('patchpaneld'),
    /** Unset: the system bus. */
    busAddress: z.string().min(1).optional(),
    restart: z
      .object({
        initialMs: milliseconds(100),
        maxMs: milliseconds(30_000),
        healthyAfterMs: milliseconds(60_000),
      })
      .strict()
      .default({}),
    /** A helper that has not said it is ready by then is killed and restarted. */
    helperReadyTimeoutMs: milliseconds(10_000),
    firewall: z
      .object({
        /** Unset: nftables when `nft` works here, iptables otherwise and on ChromeOS. */
        backend: z.enum(['nftables', 'iptables']).optional(),
      })
      .strict()
      .default({}),
    devices: z
      .object({
        /** Unset: shill when it is on the bus, else netlink. */
        backend: z.enum(['netlink', 'shill']).optional(),
        /** Physical interface name patterns (`*` wildcard) for the netlink source. */
        patterns: z
          .array(z.string().regex(/^[A-Za-z0-9.*-]{1,15}$/))
          .min(1)
          .optional(),
      })
      .strict()
      .default({}),
    connectedNamespaces: z
      .object({
        /** Names under /run/netns: `<prefix><N>`. */
        netnsPrefix: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{1,32}$/)
          .default('connected_netns_'),
        /** IPv6 from the physical network through the ND proxy (no NAT66). */
        ipv6: z.boolean().default(true),
        /** mDNS, SSDP and broadcast forwarding through the multicast helper. */
        multicast: z.boolean().default(true),
        /** The subnet pool; the default is the original's 16 /30s from 100.115.92.128. */
        pool: z
          .object({
            base: z.string().ip({ version: 'v4' }),
            prefixLength: z.number().int().min(8).max(30),
            count: z.number().int().min(1).max(65_536),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
    adb: z
      .object({
        /** true or false: the operator's decision (developer mode); 'auto': the session manager's sideloading. */
        allowed: z.union([z.boolean(), z.literal('auto')]).default('auto'),
      })
      // The rest is the adb-proxy's own settings (its README): checked here by the helper's own checker.
      .passthrough()
      .superRefine(({ allowed: _policy, ...proxy }, ctx) => {
        try {
          checkConfig(proxy);
        } catch (err) {
          if (!(err instanceof AdbConfigError)) throw err;
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: err.field.split('.'), message: err.why });
        }
      })
      .default({}),
    /** Users whose local traffic is marked with a source (spec §5.3); users missing on this host are skipped. */
    localSources: z
      .array(
        z
          .object({
            user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/),
            source: z.enum(['chrome', 'user', 'system', 'update_engine']),
            routeOnVpn: z.boolean(),
          })
          .strict(),
      )
      .default([
        { user: 'chronos', source: 'chrome', routeOnVpn: true },
        { user: 'debugd', source: 'user', routeOnVpn: true },
        { user: 'cups', source: 'user', routeOnVpn: true },
        { user: 'kerberosd', source: 'system', routeOnVpn: true },
        { user: 'kerberosd-exec', source: 'system', routeOnVpn: true },
        { user: 'tlsdate', source: 'system', routeOnVpn: true },
        { user: 'pluginvm', source: 'user', routeOnVpn: true },
        { user: 'fuse-smbfs', source: 'system', routeOnVpn: true },
      ]),
    /** ModifyPortRule LOCKDOWN lets this user through (chronos on ChromeOS); missing: nobody is exempt. */
    lockdownExemptUser: z
      .string()
      .regex(/^[a-z_][a-z0-9_-]{0,31}$/)
      .default('chronos'),
  })
  .strict();

export type DaemonConfig = z.infer<typeof daemonConfigSchema>;

export function parseDaemonConfig(value: unknown, source = 'config'): DaemonConfig {
  const result = daemonConfigSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`${source}: ${problems.join('; ')}`);
  }
  return result.data;
}

async function readConfigFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read ${file}`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`${file} is not valid JSON`, { cause });
  }
}

/** `patchpaneld [--config FILE] [--bus-address ADDR] [--log-level L] [--jail K]`: flags win over the file. */
export async function loadDaemonConfig(argv: readonly string[]): Promise<DaemonConfig> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        config: { type: 'string' },
        'bus-address': { type: 'string' },
        'log-level': { type: 'string' },
        jail: { type: 'string' },
      },
    }));
  } catch (cause) {
    throw new ConfigError((cause as Error).message, { cause });
  }
  const file = values.config === undefined ? {} : await readConfigFile(values.config);
  const flags = Object.fromEntries(
    Object.entries({
      busAddress: values['bus-address'],
      logLevel: values['log-level'],
      jail: values.jail,
    }).filter(([, v]) => v !== undefined),
  );
  if (typeof file !== 'object' || file === null || Array.isArray(file)) {
    throw new ConfigError(`${values.config}: the configuration must be a JSON object`);
  }
  return parseDaemonConfig({ ...file, ...flags }, values.config ?? 'flags');
}
