import type { PrivateBus } from '../dbus';
import { InvalidArgumentError } from '../errors';
import type { Netns } from '../netns';

/** One `=` (resolved) line of `avahi-browse --parsable --resolve`. */
export interface AvahiBrowseResult {
  /** Interface name as seen inside the namespace, e.g. 'eth0'. */
  readonly interface: string;
  /** The family the service was found over (the address may still be of the other family). */
  readonly protocol: 'IPv4' | 'IPv6';
  /** Instance name, unescaped, e.g. 'pp web'. */
  readonly name: string;
  readonly type: string;
  readonly domain: string;
  /** e.g. 'pp-lan.local' */
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly txt: readonly string[];
}

export interface AvahiBrowseOptions {
  /** How long to keep browsing again (default 10 s). */
  readonly timeoutMs?: number;
  /** Browse again until a result matches (default: until there is any result). */
  readonly waitFor?: (result: AvahiBrowseResult) => boolean;
}

const SERVICE_TYPE_PATTERN = /^_[A-Za-z0-9-]{1,63}\._(tcp|udp)$/;
const RETRY_MS = 250;
/** Bound on one avahi-browse run beyond the caller's timeout: it terminates by itself within seconds. */
const RUN_GRACE_MS = 10_000;

const ESCAPE_TOKEN = /\\(\d{3})|\\([\s\S])|([^\\]+|\\)/g;
const TXT_STRING = /"((?:[^"\\]|\\[\s\S])*)"/g;

/**
 * Undoes avahi's escaping of instance names (avahi_escape_label) and TXT strings: `\X` stands for X
 * (`\.`, `\\`, `\"`), `\DDD` is one byte in decimal; the bytes are UTF-8.
 */
export function unescapeAvahi(text: string): string {
  const parts = [...text.matchAll(ESCAPE_TOKEN)].map(([, decimal, escaped, plain]) =>
    decimal === undefined ? Buffer.from(escaped ?? plain ?? '') : Buffer.from([Number(decimal) & 0xff]),
  );
  return Buffer.concat(parts).toString('utf8');
}

/** The TXT field: each string in double quotes (escaped as above), separated by spaces, in record order. */
export function parseTxtField(field: string): string[] {
  return [...field.matchAll(TXT_STRING)].map(([, body]) => unescapeAvahi(body ?? ''));
}

/** One `=;iface;proto;name;type;domain;host;address;port;txt` line, or undefined for any other line. */
export function parseResolvedLine(line: string): AvahiBrowseResult | undefined {
  const fields = line.split(';');
  const field = (i: number): string => fields[i] ?? '';
  const protocol = field(2);
  if (fields.length < 10 || field(0) !== '=' || (protocol !== 'IPv4' && protocol !== 'IPv6'))
    return undefined;
  if (!/^\d{1,5}$/.test(field(8))) return undefined;
  return {
    interface: field(1),
    protocol,
    name: unescapeAvahi(field(3)),
    type: field(4),
    domain: field(5),
    host: field(6),
    address: field(7),
    port: Number(field(8)),
    txt: parseTxtField(fields.slice(9).join(';')),
  };
}

/** Every resolved service in avahi-browse's parsable output; `+`/`-` (browse) lines are skipped. */
export function parseAvahiBrowseOutput(stdout: string): AvahiBrowseResult[] {
  return stdout.split('\n').flatMap((line) => parseResolvedLine(line) ?? []);
}

/** argv of one run: resolve, terminate once the cache is exhausted and all-for-now, parsable output. */
export function avahiBrowseArgv(busAddress: string, serviceType: string): string[] {
  if (!SERVICE_TYPE_PATTERN.test(serviceType)) {
    throw new InvalidArgumentError(`service type ${JSON.stringify(serviceType)} is not like _http._tcp`);
  }
  return [
    ...['env', `DBUS_SYSTEM_BUS_ADDRESS=${busAddress}`],
    ...['avahi-browse', '--resolve', '--terminate', '--parsable', '--no-db-lookup', serviceType],
  ];
}

/**
 * Browses `serviceType` through the avahi-daemon registered on `bus` (started with `bus`), from inside
 * `ns`. One run only reports what avahi knows at its "all for now", and mDNS answers can come later, so it
 * runs again until a result matches `waitFor` (default: any result) or `timeoutMs` passed. Resolves with
 * the results of the matching run, or of the last run (maybe empty) at the timeout; rejects only when
 * avahi-browse fails (e.g. no daemon on the bus).
 */
export async function avahiBrowse(
  ns: Netns,
  bus: Pick<PrivateBus, 'address'>,
  serviceType: string,
  options: AvahiBrowseOptions = {},
): Promise<AvahiBrowseResult[]> {
  const argv = avahiBrowseArgv(bus.address, serviceType);
  const wanted = options.waitFor ?? (() => true);
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const remaining = Math.max(deadline - Date.now(), 0);
    const { stdout } = await ns.exec(argv, { timeoutMs: remaining + RUN_GRACE_MS });
    const results = parseAvahiBrowseOutput(stdout);
    if (results.some(wanted) || Date.now() >= deadline) return results;
    await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_MS, deadline - Date.now())));
  }
}
