import { Duplex } from 'node:stream';
import pino, { type Logger } from 'pino';
import {
  Channel,
  type ChannelOptions,
  type Envelope,
  encodeEnvelope,
  encodeFrame,
  GuestEvent,
  GuestType,
  HelperKind,
  IPC_PROTOCOL_VERSION,
  type IpcError,
  type MessageByCase,
  type MessageCase,
  type MessageHandlers,
  NDProxyEventType,
  type Received,
  ReplayPhase,
} from '../../src';

/** One envelope per case with every field set, and one with only the required fields. */
export const fullEnvelopes: readonly Envelope[] = [
  { guestMessage: { type: GuestType.ARC, event: GuestEvent.START, arcPid: 4242, arcvmVsockCid: 33 } },
  { deviceMessage: { devIfname: 'eth0', brIfname: 'arc_eth0', teardown: true } },
  { ndproxyMessage: { type: NDProxyEventType.ADD_ROUTE, ifname: 'vmtap0', ip6addr: '2001:db8::1' } },
  { helperReadyMessage: { helper: HelperKind.ND_PROXY, pid: 1234, protocolVersion: IPC_PROTOCOL_VERSION } },
  { stateReplayMessage: { phase: ReplayPhase.END, messageCount: 17 } },
];

export const minimalEnvelopes: readonly Envelope[] = [
  { guestMessage: { type: GuestType.TERMINA_VM, event: GuestEvent.STOP } },
  { deviceMessage: { devIfname: 'wlan0' } },
  { ndproxyMessage: { type: NDProxyEventType.DEL_ADDR, ifname: 'arc_nsN0' } },
  { helperReadyMessage: { helper: HelperKind.ADB_PROXY, pid: 1, protocolVersion: 1 } },
  { stateReplayMessage: { phase: ReplayPhase.BEGIN } },
];

export const allEnvelopes: readonly Envelope[] = [...fullEnvelopes, ...minimalEnvelopes];

export function frameOf(envelope: Envelope): Uint8Array {
  return encodeFrame(encodeEnvelope(envelope));
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

/** A received message as comparable data: its case and the fields present on the wire. */
export function summary(received: Received): { kind: MessageCase; fields: Record<string, unknown> } {
  return { kind: received.kind, fields: { ...received.message } };
}

/** The case and fields of an envelope as sent, in the same form as `summary`. */
export function expected(envelope: Envelope): { kind: MessageCase; fields: Record<string, unknown> } {
  const [kind, fields] = Object.entries(envelope)[0] as [MessageCase, Record<string, unknown>];
  return { kind, fields };
}

/** A stream whose reads are driven by `emit('data')` from the test, synchronously; writes are kept. */
export function scriptedStream(): { stream: Duplex; written: Uint8Array[] } {
  const written: Uint8Array[] = [];
  const stream = new Duplex({
    read() {},
    write(chunk: Uint8Array, _encoding, callback) {
      written.push(chunk);
      callback();
    },
  });
  return { stream, written };
}

/** A channel over a scripted stream that records every message it dispatches and its close. */
export function recordingChannel(options: Partial<ChannelOptions> = {}) {
  const { stream, written } = scriptedStream();
  const received: Received[] = [];
  const recorder =
    <K extends MessageCase>(kind: K) =>
    (message: MessageByCase[K]) => {
      received.push({ kind, message } as Received);
    };
  const handlers: MessageHandlers = {
    guestMessage: recorder('guestMessage'),
    deviceMessage: recorder('deviceMessage'),
    ndproxyMessage: recorder('ndproxyMessage'),
    helperReadyMessage: recorder('helperReadyMessage'),
    stateReplayMessage: recorder('stateReplayMessage'),
  };
  const closes: (IpcError | undefined)[] = [];
  const channel = new Channel(stream, { handlers, onClose: (e) => closes.push(e), ...options });
  return { channel, stream, written, received, closes };
}

/** Two connected in-memory streams: what one writes the other reads; ending one is EOF for the other. */
export function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (other: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Uint8Array, _encoding, callback) {
        other().push(chunk);
        callback();
      },
      final(callback) {
        other().push(null);
        callback();
      },
    });
  ends.push(
    make(() => ends[1]!),
    make(() => ends[0]!),
  );
  return [ends[0]!, ends[1]!];
}

/** A debug-level logger whose JSON lines are collected. */
export function capturingLogger(): { logger: Logger; lines: () => Record<string, unknown>[]; raw: string[] } {
  const raw: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => raw.push(line) });
  return { logger, raw, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** Resolves after pending stream events (nextTick and setImmediate callbacks) have run. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
