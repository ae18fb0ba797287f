import { PeerError } from '../errors';
import { assertPort } from '../names';
import type { Netns } from '../netns';
import { parsePeerResult, peerScriptArgv } from '../peer-script';
import type { TrackedProcess } from '../processes';
import type { Testbed } from '../testbed';
import type { Service } from './service';

export const DEFAULT_ECHO_PORT = 7;

export interface EchoPeerOptions {
  /** TCP and UDP port (default 7). */
  readonly port?: number;
  /** Listen address (default '::', dual-stack). */
  readonly host?: string;
}

/** A TCP+UDP echo server (one Node process) in a namespace. */
export interface EchoPeer extends Service {
  readonly port: number;
  readonly process: TrackedProcess;
}

export async function startEchoPeer(
  bed: Testbed,
  ns: Netns,
  options: EchoPeerOptions = {},
): Promise<EchoPeer> {
  const port = options.port ?? DEFAULT_ECHO_PORT;
  assertPort(port);
  const argv = [...peerScriptArgv('echo-server'), '--port', String(port), '--host', options.host ?? '::'];
  const child = await bed.spawn(ns, argv, { ready: { stdout: /"ready":true/ } });
  return {
    pid: child.pid,
    port,
    process: child,
    stop: async () => {
      await child.stop();
    },
  };
}

export interface EchoRequest {
  readonly protocol: 'tcp' | 'udp';
  readonly host: string;
  readonly port: number;
  /** Default 'patchpanel'. */
  readonly payload?: string;
  /** Default 5 s. */
  readonly timeoutMs?: number;
}

export interface EchoResult {
  readonly reply: string;
  readonly rttMs: number;
}

/** Sends a payload from inside `from` to an echo peer and resolves with what came back. */
export async function echoRoundTrip(from: Netns, request: EchoRequest): Promise<EchoResult> {
  assertPort(request.port);
  const timeoutMs = request.timeoutMs ?? 5_000;
  const argv = [
    ...peerScriptArgv('echo-client'),
    ...['--protocol', request.protocol, '--host', request.host, '--port', String(request.port)],
    ...['--payload', request.payload ?? 'patchpanel', '--timeout', String(timeoutMs)],
  ];
  const { stdout } = await from.exec(argv, { timeoutMs: timeoutMs + 10_000 });
  const result = parsePeerResult(stdout);
  if (typeof result.reply !== 'string' || typeof result.rttMs !== 'number') {
    throw new PeerError(`echo client result lacks reply/rttMs: ${stdout.trim()}`);
  }
  return { reply: result.reply, rttMs: result.rttMs };
}
