import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RunResult } from '../command';
import { InvalidArgumentError } from '../errors';
import { signalProcess } from '../kill';
import { assertPort } from '../names';
import type { Netns } from '../netns';
import { peerScriptArgv } from '../peer-script';
import { findProcessesInNetns, namespaceInode, type ProcessIdentity } from '../proc';
import type { Testbed } from '../testbed';
import { connectionEvent, type EventPeer, startEventPeer } from './event-peer';

/** adbd's port, and the port the relay listens on. */
export const ADB_PORT = 5555;

export interface FakeAdbdOptions {
  /** TCP port (default 5555), on `host` (default '::', dual-stack). */
  readonly port?: number;
  readonly host?: string;
  /** Also listen on this Unix socket path (mode 0777), as ARC++'s adbd does. */
  readonly unixSocket?: string;
}

/** What the fake adbd prints, one object per event of a connection (`id` counts from 1). */
export interface FakeAdbdEvent {
  readonly event: 'accepted' | 'cnxn' | 'fin' | 'closed' | 'invalid';
  readonly id: number;
  /** accepted, closed: the listener that took it. */
  readonly via?: 'tcp' | 'unix';
  /** closed: 'adb' when it opened with a CNXN, else 'echo'. */
  readonly mode?: 'adb' | 'echo';
  /** cnxn: the host's version, max payload and banner, and whether its data check was right. */
  readonly version?: number;
  readonly maxPayload?: number;
  readonly banner?: string;
  readonly checksumOk?: boolean;
  /** fin, closed: bytes read (and written); closed in echo mode: SHA-256 of what was read. */
  readonly bytesIn?: number;
  readonly bytesOut?: number;
  readonly sha256In?: string;
  readonly hadError?: boolean;
  /** invalid: why the packet was refused. */
  readonly reason?: string;
}

export interface FakeAdbd extends EventPeer<FakeAdbdEvent> {
  readonly port: number;
  readonly unixSocket: string | undefined;
}

/**
 * An adbd stand-in in `ns`: answers an adb host's CNXN like adbd with authentication off, and echoes any
 * other connection (half-close included), reporting every connection's events.
 */
export async function startFakeAdbd(
  bed: Testbed,
  ns: Netns,
  options: FakeAdbdOptions = {},
): Promise<FakeAdbd> {
  const port = options.port ?? ADB_PORT;
  assertPort(port);
  const argv = [
    ...peerScriptArgv('fake-adbd'),
    ...[`--port=${port}`, `--host=${options.host ?? '::'}`],
    ...(options.unixSocket === undefined ? [] : [`--unix=${options.unixSocket}`]),
  ];
  const peer = await startEventPeer(bed, ns, argv, connectionEvent<FakeAdbdEvent>);
  return { ...peer, port, unixSocket: options.unixSocket };
}

export interface AdbDevice {
  readonly serial: string;
  /** 'device' once the CNXN exchange is done; 'offline', 'unauthorized', ... otherwise. */
  readonly state: string;
  /** `adb devices -l`'s key:value words, e.g. product, model, device, transport_id. */
  readonly properties: Readonly<Record<string, string>>;
}

/** Debian's adb client, run in one namespace with a private server port, HOME and TMPDIR. */
export interface AdbClient {
  readonly serverPort: number;
  /** Its HOME (the key in .android/) and TMPDIR (the server's log). */
  readonly home: string;
  /** `adb -P <port> <args>`; rejects when adb exits non-zero. */
  run(args: readonly string[], timeoutMs?: number): Promise<RunResult>;
  /** `adb connect <target>`'s output, e.g. 'connected to 198.51.100.2:5555' (adb exits 0 on failure too). */
  connect(target: string): Promise<string>;
  devices(): Promise<AdbDevice[]>;
  /** The server's log so far. */
  serverLog(): string;
  /** Pids of the adb processes of this client in its namespace (the server once a command started it). */
  running(): number[];
  /** `adb kill-server`, then SIGKILL by pid to those still running. */
  stop(): Promise<void>;
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return []; // gone
  }
}

/** Parses `adb devices -l`. */
export function parseAdbDevices(stdout: string): AdbDevice[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('List of devices') && !line.startsWith('*'))
    .map((line) => {
      const [serial = '', state = '', ...words] = line.trim().split(/\s+/);
      const properties = Object.fromEntries(
        words
          .filter((w) => w.includes(':'))
          .map((w) => [w.slice(0, w.indexOf(':')), w.slice(w.indexOf(':') + 1)]),
      );
      return { serial, state, properties };
    });
}

/**
 * An adb client in `ns`. Its server (forked by the first command) listens on `serverPort` (default 15037)
 * inside `ns` only and is stopped by `stop()`, and again at the bed's teardown.
 */
export function adbClient(
  bed: Testbed,
  ns: Netns,
  options: { readonly serverPort?: number } = {},
): AdbClient {
  const serverPort = options.serverPort ?? 15037;
  assertPort(serverPort);
  if (!/^[a-z0-9-]+$/.test(ns.name)) throw new InvalidArgumentError(`odd namespace name ${ns.name}`);
  const home = join(bed.runDir, `adb-${ns.name}-${serverPort}`);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const env = [
    `HOME=${home}`,
    `ANDROID_SDK_HOME=${home}`,
    `TMPDIR=${home}`,
    `ANDROID_ADB_SERVER_PORT=${serverPort}`,
  ];
  const run = (args: readonly string[], timeoutMs = 30_000): Promise<RunResult> =>
    ns.exec(['env', '-u', 'ADB_VENDOR_KEYS', ...env, 'adb', '-P', String(serverPort), ...args], {
      timeoutMs,
    });
  /** adb processes in `ns` serving this port: the server, and clients still talking to it. */
  const running = (): ProcessIdentity[] => {
    const inode = namespaceInode(ns.path);
    if (inode === undefined) return [];
    return findProcessesInNetns(new Set([inode])).filter(({ pid }) => {
      const argv = commandLine(pid);
      return (
        basename(argv[0] ?? '') === 'adb' &&
        argv.some((arg) => arg.endsWith(`:${serverPort}`) || arg === String(serverPort))
      );
    });
  };
  const stop = async (): Promise<void> => {
    await run(['kill-server'], 10_000).catch(() => {});
    for (const identity of running()) signalProcess(identity, 'SIGKILL');
  };
  bed.onTeardown(stop);
  return {
    serverPort,
    home,
    run,
    connect: async (target) => (await run(['connect', target])).stdout.trim(),
    devices: async () => parseAdbDevices((await run(['devices', '-l'])).stdout),
    running: () => running().map(({ pid }) => pid),
    serverLog: () => {
      try {
        return readFileSync(join(home, `adb.${process.getuid?.() ?? 0}.log`), 'utf8');
      } catch {
        return '';
      }
    },
    stop,
  };
}
