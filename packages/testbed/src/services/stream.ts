import { InvalidArgumentError, PeerError } from '../errors';
import { assertPort } from '../names';
import type { Netns } from '../netns';
import { parsePeerResult, peerScriptArgv } from '../peer-script';
import type { Testbed } from '../testbed';
import { connectionEvent, type EventPeer, startEventPeer } from './event-peer';

export interface StreamTarget {
  /** An echo server: the echo peer, the fake adbd, or whatever relays to one. */
  readonly host: string;
  readonly port: number;
  /** Connections opened at once (default 1). */
  readonly connections?: number;
}

export interface StreamTransferOptions extends StreamTarget {
  /** Random bytes each connection sends before its FIN (default 0: `payload` instead). */
  readonly bytes?: number;
  /** Sent when `bytes` is 0 (default: nothing, only the FIN). */
  readonly payload?: string;
  /** Pause this long after each chunk read: a slow reader, so backpressure builds (default 0). */
  readonly readDelayMs?: number;
  /** Read nothing for this long after connecting (default 0); see `sentDuringStall`. */
  readonly stallMs?: number;
  /** Connections still open by then end with the error 'timeout' (default 60 s). */
  readonly timeoutMs?: number;
}

/** One connection of a transfer: both directions counted and hashed, and how it ended. */
export interface StreamTransferResult {
  readonly id: number;
  readonly sent: number;
  readonly received: number;
  readonly sentSha256: string;
  readonly receivedSha256: string;
  /** Bytes received when the client's FIN went out (-1: it never did); the rest is the echo's tail. */
  readonly receivedAtFin: number;
  /**
   * Bytes the client got out while it read nothing (-1: `stallMs` was 0): what the buffers on the way to the
   * echo server and back hold. Whatever relays without backpressure lets all of them through.
   */
  readonly sentDuringStall: number;
  /** The server's FIN arrived (a reset or a timeout leaves it false). */
  readonly peerFin: boolean;
  /** The socket error's code ('ECONNREFUSED', 'ECONNRESET', 'timeout'), or null. */
  readonly error: string | null;
  readonly ms: number;
}

/** What a holding client prints: a connection is up, a ping came back (`ok`: byte for byte), it ended. */
export interface StreamHoldEvent {
  readonly event: 'connected' | 'echo' | 'closed';
  readonly id: number;
  /** echo: the ping's number. */
  readonly n?: number;
  readonly ok?: boolean;
  /** closed: pings sent, whether the server FINed, the socket error's code or null. */
  readonly pings?: number;
  readonly peerFin?: boolean;
  readonly error?: string | null;
}

function assertCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min)
    throw new InvalidArgumentError(`${name} ${value} is not >= ${min}`);
}

function targetArgs(target: StreamTarget): string[] {
  assertPort(target.port);
  const connections = target.connections ?? 1;
  assertCount('connections', connections, 1);
  return [`--host=${target.host}`, `--port=${target.port}`, `--connections=${connections}`];
}

/**
 * Runs TCP transfers from inside `ns` (a one-shot peer): each connection sends, FINs, reads the echo until
 * the server's FIN or an error, and is reported whatever happened (refused, reset, timed out).
 */
export async function streamTransfer(
  ns: Netns,
  options: StreamTransferOptions,
): Promise<StreamTransferResult[]> {
  const bytes = options.bytes ?? 0;
  const readDelayMs = options.readDelayMs ?? 0;
  const stallMs = options.stallMs ?? 0;
  const timeoutMs = options.timeoutMs ?? 60_000;
  assertCount('bytes', bytes, 0);
  assertCount('readDelayMs', readDelayMs, 0);
  assertCount('stallMs', stallMs, 0);
  assertCount('timeoutMs', timeoutMs, 1);
  const argv = [
    ...peerScriptArgv('stream-client'),
    ...targetArgs(options),
    ...[`--bytes=${bytes}`, `--payload=${options.payload ?? ''}`],
    ...[`--read-delay-ms=${readDelayMs}`, `--stall-ms=${stallMs}`, `--timeout-ms=${timeoutMs}`],
  ];
  const { stdout } = await ns.exec(argv, { timeoutMs: timeoutMs + 30_000 });
  const result = parsePeerResult(stdout);
  if (!Array.isArray(result.connections))
    throw new PeerError(`stream-client result lacks connections: ${stdout.trim().slice(-500)}`);
  return result.connections as StreamTransferResult[];
}

/**
 * Opens connections from inside `ns` and keeps them open, each pinging every `pingMs` (default 200) in
 * lockstep with its echo; ready once every connection is up or has failed. Stop it to close them.
 */
export async function holdStreams(
  bed: Testbed,
  ns: Netns,
  options: StreamTarget & { readonly pingMs?: number },
): Promise<EventPeer<StreamHoldEvent>> {
  const pingMs = options.pingMs ?? 200;
  assertCount('pingMs', pingMs, 1);
  const argv = [...peerScriptArgv('stream-client'), ...targetArgs(options), '--hold', `--ping-ms=${pingMs}`];
  return startEventPeer(bed, ns, argv, connectionEvent<StreamHoldEvent>);
}
