import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ADB_PORT,
  createVirtualHost,
  type EventPeer,
  type FakeAdbd,
  holdStreams,
  type Netns,
  type StreamHoldEvent,
  type StreamTransferOptions,
  type StreamTransferResult,
  startFakeAdbd,
  streamTransfer,
  type Testbed,
  waitUntil,
} from '@patchpanel/testbed';
import type { RelayKind } from '../../src/config';
import { relays } from '../../src/relay';

/** ARC's management subnet: the host's end (arc0) and the Android guest's, where adbd listens. */
export const HOST_ARC_ADDRESS = '100.115.92.1';
export const GUEST_ADDRESS = '100.115.92.2';

/**
 * The test topology: the virtual host's `host` (the adb-proxy runs there) and `lan` (the ADB client, reaching
 * the host's eth0 address), plus a `guest` namespace on the host's arc0 playing the Android guest, with a fake
 * adbd on TCP 5555 and on a Unix socket that the jailed helper (uid 65534, read-only root) can connect to.
 */
export interface AdbTopology {
  readonly bed: Testbed;
  readonly host: Netns;
  readonly client: Netns;
  readonly guest: Netns;
  /** Where clients connect: the host's eth0 address, port 5555. */
  readonly proxyAddress: string;
  readonly adbd: FakeAdbd;
  /** The fake adbd's Unix socket, and a path in the same directory where nothing listens. */
  readonly unixSocket: string;
  readonly absentSocket: string;
  /** A directory for this file's own files (helper logs); removed at teardown. */
  readonly scratchDir: string;
}

export async function adbTopology(bed: Testbed): Promise<AdbTopology> {
  const vh = await createVirtualHost(bed);
  const guest = await bed.netns('guest');
  // Socket buffers of at most 1 MiB (a new namespace may allow up to 32 MiB): what the way through the relay
  // and back can hold stays far below a bulk transfer, so backpressure shows.
  for (const ns of [vh.lan, vh.host, guest])
    await ns.sysctl({
      'net.ipv4.tcp_rmem': '4096 131072 1048576',
      'net.ipv4.tcp_wmem': '4096 16384 1048576',
    });
  await bed.veth(vh.host, 'arc0', guest, 'eth0');
  await vh.host.exec(['ip', 'addr', 'add', `${HOST_ARC_ADDRESS}/30`, 'dev', 'arc0']);
  await guest.exec(['ip', 'addr', 'add', `${GUEST_ADDRESS}/30`, 'dev', 'eth0']);
  const socketDir = mkdtempSync(path.join(tmpdir(), 'pp-adb-'));
  bed.onTeardown(() => rmSync(socketDir, { recursive: true, force: true }));
  chmodSync(socketDir, 0o777);
  const unixSocket = path.join(socketDir, 'adb.sock');
  const adbd = await startFakeAdbd(bed, guest, { unixSocket });
  return {
    bed,
    host: vh.host,
    client: vh.lan,
    guest,
    proxyAddress: vh.hostIpv4,
    adbd,
    unixSocket,
    absentSocket: path.join(socketDir, 'absent.sock'),
    scratchDir: socketDir,
  };
}

/** What `peer` reports from now on: a view that grows with its events. */
export function eventsFromNow<T>(peer: { events(): T[] }): () => T[] {
  const from = peer.events().length;
  return () => peer.events().slice(from);
}

/** Connections to the relay from the client namespace, held open, each pinging in lockstep with its echo. */
export function holdConnections(
  topology: AdbTopology,
  connections: number,
): Promise<EventPeer<StreamHoldEvent>> {
  return holdStreams(topology.bed, topology.client, {
    host: topology.proxyAddress,
    port: ADB_PORT,
    connections,
  });
}

/** Resolves once each of the `count` held connections has echoed a ping whole from now on. */
export async function eachEchoes(clients: EventPeer<StreamHoldEvent>, count: number): Promise<void> {
  const events = eventsFromNow(clients);
  const echoed = () => new Set(events().flatMap((e) => (e.event === 'echo' && e.ok ? [e.id] : [])));
  await waitUntil(() => echoed().size === count, 20_000, `each of ${count} held connections to echo`, 50);
}

/** Connections to the relay from the client namespace (see streamTransfer). */
export function transfer(
  topology: AdbTopology,
  options: Omit<StreamTransferOptions, 'host' | 'port'>,
): Promise<StreamTransferResult[]> {
  return streamTransfer(topology.client, { host: topology.proxyAddress, port: ADB_PORT, ...options });
}

/**
 * One small echo through the relay: true when it came back whole and the relay passed the FIN back. By default
 * from the client namespace to the host's eth0 address; `from`/`host` pick another way in (e.g. the host's own
 * loopback, over IPv6).
 */
export async function echoes(
  topology: AdbTopology,
  options: { payload?: string; from?: Netns; host?: string } = {},
): Promise<boolean> {
  const { payload = 'ping', from = topology.client, host = topology.proxyAddress } = options;
  const [result] = await streamTransfer(from, { host, port: ADB_PORT, payload, timeoutMs: 10_000 });
  return (
    result?.error === null &&
    result.peerFin &&
    result.receivedSha256 === result.sentSha256 &&
    result.received > 0
  );
}

/** The error of one connection attempt to the relay ('ECONNREFUSED' when nothing listens), or null. */
export async function connectError(topology: AdbTopology): Promise<string | null> {
  const [result] = await transfer(topology, { payload: 'ping', timeoutMs: 10_000 });
  return result?.error ?? 'no result';
}

/** Every relay keeps one contract: every relay test runs for each. */
export const RELAY_KINDS = Object.keys(relays) as RelayKind[];
