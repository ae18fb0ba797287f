// Loopback and Unix sockets only: no root and no namespaces needed, like the lifeline tests.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binding } from '../../src/binding';
import { SOL_SOCKET } from '../../src/constants';
import { createPipe } from '../../src/lifeline';
import { socketFd } from '../../src/socket-fd';
import { type SpliceRelay, type SpliceRelayResult, spliceSockets } from '../../src/splice-relay';
import {
  closeOf,
  MiB,
  openFds,
  Receiver,
  type RelayEnds,
  relayEnds,
  resetSeen,
  Sender,
  type Transport,
} from '../support/streams';
import { eventually, sleep } from '../support/wait';

const SO_SNDBUF = 7;
const SO_RCVBUF = 8;
const SOCKET_BUFFER = 128 * 1024;

let dir: string;
const opened: net.Socket[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pp-splice-'));
});

afterEach(() => {
  for (const socket of opened.splice(0)) socket.destroy();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function ends(transportA: Transport = 'tcp4', transportB: Transport = 'tcp4'): Promise<RelayEnds> {
  const sockets = await relayEnds(transportA, transportB, dir);
  opened.push(sockets.A, sockets.a, sockets.b, sockets.B);
  return sockets;
}

const closeOfRelay = (relay: SpliceRelay): Promise<SpliceRelayResult> =>
  once(relay, 'close').then(([result]) => result as SpliceRelayResult);

/** Sends both ways at once, each peer ending after its last byte; checks what arrived against what was sent. */
async function exchange({ A, B }: RelayEnds, aToB: number, bToA: number): Promise<void> {
  const [atB, atA] = [new Receiver(B), new Receiver(A)];
  const [fromA, fromB] = [new Sender(A, aToB), new Sender(B, bToA)];
  const endAfter = async (sender: Sender, socket: net.Socket) => {
    const digest = await sender.digest;
    socket.end();
    return digest;
  };
  const [sentByA, sentByB] = await Promise.all([endAfter(fromA, A), endAfter(fromB, B)]);
  expect(await atB.digest).toBe(sentByA);
  expect(await atA.digest).toBe(sentByB);
}

describe('splice relay', () => {
  test('64 MiB each way at once arrive intact, and a writer whose reader pauses is throttled', async () => {
    const sockets = await ends();
    const { A, B } = sockets;
    // Fixed socket buffers (no autotuning), so that what the kernel can hold between A and B is known: four
    // sockets of at most 2 x 128 KiB each (the kernel doubles SO_SNDBUF/SO_RCVBUF), plus the relay's pipe.
    for (const socket of Object.values(sockets)) {
      for (const option of [SO_SNDBUF, SO_RCVBUF]) {
        binding().setIntOption(socketFd(socket), SOL_SOCKET, option, SOCKET_BUFFER);
      }
    }
    const done = closeOfRelay(spliceSockets(sockets.a, sockets.b));
    const atA = new Receiver(A);
    const fromA = new Sender(A, 64 * MiB, 16 * 1024); // small writes: `flushed` follows the kernel closely
    const fromB = new Sender(B, 64 * MiB);

    // B reads nothing yet. Its own bytes still reach A in full, while A's writes stall.
    await eventually(async () => atA.bytes === 64 * MiB, 30_000, 20);
    const inFlight = fromA.flushed;
    await sleep(500);
    expect(fromA.flushed).toBe(inFlight);
    expect(A.writableNeedDrain).toBe(true);
    expect(inFlight).toBeLessThanOrEqual(4 * 2 * SOCKET_BUFFER + MiB);
    const sentByB = await fromB.digest;
    B.end();
    expect(await atA.digest).toBe(sentByB);

    const atB = new Receiver(B);
    const sentByA = await fromA.digest;
    A.end();
    expect(await atB.digest).toBe(sentByA);
    expect(await done).toEqual({ aToB: 64 * MiB, bToA: 64 * MiB });
  });

  test.each<[Transport, Transport, number | undefined]>([
    ['tcp6', 'tcp6', undefined],
    ['unix', 'tcp4', undefined],
    ['tcp4', 'unix', 4096],
    ['unix', 'unix', undefined],
  ])('%s to %s (pipeBytes %s): both ways at once, intact, counts exact', async (from, to, pipeBytes) => {
    const sockets = await ends(from, to);
    const done = closeOfRelay(spliceSockets(sockets.a, sockets.b, pipeBytes ? { pipeBytes } : {}));
    await exchange(sockets, 8 * MiB + 1, 5 * MiB - 3);
    expect(await done).toEqual({ aToB: 8 * MiB + 1, bToA: 5 * MiB - 3 });
  });

  test.each(['A', 'B'] as const)(
    'half-close: %s ends first, the other way keeps flowing, then both ends close cleanly',
    async (first) => {
      const sockets = await ends();
      const relay = spliceSockets(sockets.a, sockets.b);
      const done = closeOfRelay(relay);
      const [early, late] = first === 'A' ? [sockets.A, sockets.B] : [sockets.B, sockets.A];
      const [atEarly, atLate] = [new Receiver(early), new Receiver(late)];
      const question = new Sender(early, 3 * MiB + 123);
      const asked = await question.digest;
      early.end();
      expect(await atLate.digest).toBe(asked);

      await sleep(100);
      expect(relay.closed).toBe(false);
      const answer = new Sender(late, 5 * MiB + 7);
      await eventually(async () => atEarly.bytes === 5 * MiB + 7);
      expect(early.readableEnded).toBe(false);
      late.end();
      expect(await atEarly.digest).toBe(await answer.digest);
      const [aToB, bToA] = first === 'A' ? [3 * MiB + 123, 5 * MiB + 7] : [5 * MiB + 7, 3 * MiB + 123];
      expect(await done).toEqual({ aToB, bToA });
    },
  );

  test.each(['A', 'B'] as const)(
    'a reset from %s resets the other peer, and close carries it',
    async (who) => {
      const sockets = await ends();
      const done = closeOfRelay(spliceSockets(sockets.a, sockets.b));
      const [resetter, other] = who === 'A' ? [sockets.A, sockets.B] : [sockets.B, sockets.A];
      const otherClosed = closeOf(other);
      const atOther = new Receiver(other);
      resetter.write('last words');
      await eventually(async () => atOther.bytes === 10, 5000, 10);
      resetter.resetAndDestroy();
      const result = await done;
      expect(result).toMatchObject({ aToB: who === 'A' ? 10 : 0, bToA: who === 'B' ? 10 : 0 });
      expect(result.error).toMatchObject({ code: 'PP_ERR_NETIO_SYSCALL', errnoName: 'ECONNRESET' });
      expect(await otherClosed).toMatchObject({ code: 'ECONNRESET' });
    },
  );

  test('a peer that half-closed, then resets, still ends the relay with an error', async () => {
    const sockets = await ends();
    const done = closeOfRelay(spliceSockets(sockets.a, sockets.b));
    const atB = new Receiver(sockets.B);
    sockets.A.end();
    await atB.digest; // a->b is over: the relay reads nothing more from a, only watches it
    sockets.A.resetAndDestroy();
    const result = await done;
    expect(result.error).toMatchObject({ code: 'PP_ERR_NETIO_SYSCALL' });
    const bClosed = closeOf(sockets.B);
    sockets.B.write('too late');
    expect(await bClosed).toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|EPIPE)$/) });
  });

  test('a Unix peer that half-closes and then goes: no busy polling, and bytes for it end the relay', async () => {
    const sockets = await ends('unix', 'tcp4');
    const done = closeOfRelay(spliceSockets(sockets.a, sockets.b));
    const atB = new Receiver(sockets.B);
    sockets.A.end();
    await atB.digest;
    sockets.A.destroy(); // POLLHUP without an error on a: seen once, then a is no longer watched
    await sleep(50);
    const cpu = process.cpuUsage();
    await sleep(300);
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(100);
    sockets.B.write('for nobody');
    const result = await done;
    expect(result.error).toMatchObject({
      code: 'PP_ERR_NETIO_SYSCALL',
      errnoName: 'EPIPE',
      syscall: 'splice',
    });
  });

  test('close() mid-transfer resets both peers; close is emitted once and close() is idempotent', async () => {
    const sockets = await ends();
    const relay = spliceSockets(sockets.a, sockets.b);
    let closes = 0;
    relay.on('close', () => {
      closes += 1;
    });
    const done = closeOfRelay(relay);
    const [aReset, bReset] = [resetSeen(sockets.A), resetSeen(sockets.B)];
    const atB = new Receiver(sockets.B);
    sockets.A.resume();
    new Sender(sockets.A, 1024 * MiB).digest.catch(() => {}); // ends in ECONNRESET or EPIPE
    await eventually(async () => atB.bytes >= 4 * MiB, 10_000, 10);
    relay.close();
    expect(relay.closed).toBe(true);
    relay.close();
    const result = await done;
    expect(result.error).toMatchObject({ code: 'PP_ERR_NETIO_CLOSED' });
    expect(result.aToB).toBeGreaterThanOrEqual(4 * MiB);
    expect(result.aToB).toBeLessThan(1024 * MiB);
    for (const seen of [aReset, bReset]) {
      expect(await seen).toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|EPIPE)$/) });
    }
    expect(atB.bytes).toBeLessThanOrEqual(result.aToB);
    await sleep(50);
    expect(closes).toBe(1);
    expect(relay.ref()).toBe(relay);
    expect(relay.unref()).toBe(relay);
  });

  test("at 'close' the relay's duplicates and pipes are closed already", async () => {
    const sockets = await ends();
    const handedOver = [socketFd(sockets.a), socketFd(sockets.b)].map(String);
    const before = openFds();
    const relay = spliceSockets(sockets.a, sockets.b);
    // Two duplicates and two pipes in; the JS sockets' own fds out.
    expect(openFds().length).toBe(before.length + 6 - 2);
    const atClose = new Promise<string[]>((resolve) => relay.once('close', () => resolve(openFds())));
    await exchange(sockets, 100_000, 1);
    expect((await atClose).sort()).toEqual(before.filter((fd) => !handedOver.includes(fd)).sort());
  });

  test('no fd leaks over many relays, whatever ends them', async () => {
    const transports: Transport[] = ['tcp4', 'tcp6', 'unix'];
    const relayOnce = async (i: number) => {
      const from = transports[Math.floor(i / 3) % 3]!;
      const sockets = await ends(from, transports[i % 3]);
      const relay = spliceSockets(sockets.a, sockets.b, { pipeBytes: 64 * 1024 });
      const done = closeOfRelay(relay);
      const peersClosed = Promise.all([closeOf(sockets.A), closeOf(sockets.B)]);
      if (i % 3 === 0) {
        await exchange(sockets, 300_000, 200_000);
      } else if (i % 3 === 1) {
        sockets.B.resume();
        sockets.A.write(Buffer.alloc(100_000));
        await sleep(10);
        relay.close();
      } else if (from === 'unix') {
        sockets.A.destroy(); // a Unix socket has no reset: both peers go, and the relay sees EOF both ways
        sockets.B.destroy();
      } else {
        sockets.B.resume();
        sockets.A.resetAndDestroy();
      }
      await done;
      sockets.A.destroy();
      sockets.B.destroy();
      await peersClosed;
    };
    await relayOnce(0); // whatever Node opens lazily on first use is open before counting
    const before = openFds().length;
    await Promise.all(Array.from({ length: 30 }, (_, i) => relayOnce(i)));
    for (let i = 0; i < 30; i += 1) await relayOnce(i);
    expect(openFds().length).toBe(before);
  });

  describe('argument errors change nothing', () => {
    const invalid = (pattern: RegExp) =>
      expect.objectContaining({
        code: 'PP_ERR_NETIO_INVALID_ARGUMENT',
        message: expect.stringMatching(pattern),
      });

    /** a and b still work as plain JS sockets, and no fd was added or lost. */
    async function untouched(sockets: RelayEnds, fdsBefore: number): Promise<void> {
      expect(openFds().length).toBe(fdsBefore);
      expect(sockets.a.destroyed || sockets.b.destroyed).toBe(false);
      sockets.A.write('still here');
      sockets.a.resume();
      const [data] = await once(sockets.a, 'data');
      expect(String(data)).toBe('still here');
    }

    test('a socket that is not connected, or still connecting', async () => {
      const sockets = await ends();
      const fds = openFds().length;
      expect(() => spliceSockets(new net.Socket(), sockets.b)).toThrow(invalid(/socket a is not connected/));
      const connecting = net.connect({ port: 9, host: '127.0.0.1' });
      connecting.on('error', () => {});
      expect(() => spliceSockets(sockets.a, connecting)).toThrow(invalid(/socket b is not connected/));
      connecting.destroy();
      await untouched(sockets, fds);
    });

    test('a flowing socket, or one with bytes buffered in JS', async () => {
      const sockets = await ends();
      const fds = openFds().length;
      sockets.b.resume();
      expect(() => spliceSockets(sockets.a, sockets.b)).toThrow(invalid(/socket b is flowing/));
      sockets.b.pause();
      sockets.B.resume();
      sockets.B.write('early');
      await eventually(async () => sockets.b.readableLength === 5, 5000, 10);
      expect(() => spliceSockets(sockets.a, sockets.b)).toThrow(
        invalid(/socket b holds 5 bytes read into JS/),
      );
      await untouched(sockets, fds);
    });

    test('a destroyed or half-closed socket, the same socket twice, a bad pipe size', async () => {
      const sockets = await ends();
      const other = await ends();
      const fds = openFds().length;
      other.a.destroy();
      expect(() => spliceSockets(other.a, sockets.b)).toThrow(invalid(/socket a is destroyed/));
      other.b.end();
      expect(() => spliceSockets(sockets.a, other.b)).toThrow(invalid(/socket b is not open both ways/));
      expect(() => spliceSockets(sockets.a, sockets.a)).toThrow(invalid(/same socket/));
      for (const pipeBytes of [0, 100, 1.5, 2 ** 31]) {
        expect(() => spliceSockets(sockets.a, sockets.b, { pipeBytes })).toThrow(invalid(/pipeBytes/));
      }
      await sleep(50); // other.a's fd is closed, other.b's FIN sent: none of it touches a, b or their fds
      await untouched(sockets, fds - 1);
    });

    test('the native side refuses what is not a stream socket', async () => {
      const sockets = await ends();
      const fds = openFds().length;
      const { readFd, writeFd } = createPipe();
      const udp = (await import('node:dgram')).createSocket('udp4');
      await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
      const udpFd = (udp as unknown as { _handle: { fd: number } })._handle.fd;
      const { SpliceRelay: Native } = binding();
      expect(() => new Native(socketFd(sockets.a), readFd, 65536)).toThrow(
        expect.objectContaining({ code: 'ENOTSOCK' }),
      );
      expect(() => new Native(socketFd(sockets.a), udpFd, 65536)).toThrow(
        expect.objectContaining({ code: 'EINVAL', message: 'fdB must be a stream socket' }),
      );
      expect(() => new Native(socketFd(sockets.a), socketFd(sockets.a), 65536)).toThrow(
        expect.objectContaining({ code: 'EINVAL' }),
      );
      udp.close();
      const { closeSync } = await import('node:fs');
      closeSync(readFd);
      closeSync(writeFd);
      await sleep(20);
      await untouched(sockets, fds);
    });
  });
});
