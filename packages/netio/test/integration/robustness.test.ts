import { Worker } from 'node:worker_threads';
import { integrationSuite, type Netns } from '@patchpanel/testbed';
import fc from 'fast-check';
import { addonPath, binding } from '../../src/binding';
import { neighborDiscoveryFilter } from '../../src/bpf/filters';
import { runBpf } from '../../src/bpf/interpreter';
import { ETH_P_ALL, PacketType } from '../../src/constants';
import type { NetioError } from '../../src/errors';
import { openPacketSocket, type PacketFrame, type PacketSocket } from '../../src/packet-socket';
import { openRawIpv4Socket } from '../../src/raw-ipv4';
import { createTap, openTap } from '../../src/tap';
import { openUdpSocket } from '../../src/udp';
import { neighborSolicitationFrame } from '../support/frames';
import { nextMatching, sleep } from '../support/wait';

const ETHERTYPE_TEST = 0x88b5;
const TAG = 'NETIO-FUZZ-';

/** Runs `call`; it must return normally or throw a coded netio error, nothing else. */
function outcome(call: () => unknown): string {
  try {
    call();
    return 'ok';
  } catch (error) {
    const code = (error as NetioError).code;
    if (typeof code !== 'string' || !code.startsWith('PP_ERR_NETIO_')) throw error;
    return code;
  }
}

/** Raw native calls: must throw an error with a code (EINVAL for arguments, an errno name otherwise). */
function nativeOutcome(call: () => unknown): string {
  try {
    call();
    return 'ok';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) throw error;
    return code;
  }
}

function testFrame(size: number): Buffer {
  const frame = Buffer.alloc(size);
  frame.fill(0xff, 0, Math.min(size, 6));
  if (size >= 14) frame.writeUInt16BE(ETHERTYPE_TEST, 12);
  return frame;
}

integrationSuite('netio robustness', (ctx) => {
  let near: Netns;
  let far: Netns;
  let sender: PacketSocket;

  beforeAll(async () => {
    near = await ctx.bed.netns('fz-near');
    far = await ctx.bed.netns('fz-far');
    for (const ns of [near, far])
      await ns.sysctl({ 'net.ipv6.conf.all.disable_ipv6': 1, 'net.ipv6.conf.default.disable_ipv6': 1 });
    await ctx.bed.veth(near, 'f0', far, 'f1');
    sender = openPacketSocket({ protocol: ETH_P_ALL, interface: 'f0', netns: near });
  });

  afterAll(() => sender.close());

  test('malformed sends are errors: empty, short, huge, odd frames, bad ifindex, short MACs', () => {
    expect(outcome(() => sender.send(Buffer.alloc(0)))).toBe('PP_ERR_NETIO_INVALID_ARGUMENT');
    expect(outcome(() => sender.send(testFrame(13)))).toBe('PP_ERR_NETIO_INVALID_ARGUMENT');
    expect(outcome(() => sender.send(testFrame(70_000)))).toBe('PP_ERR_NETIO_INVALID_ARGUMENT');
    expect(outcome(() => sender.send(testFrame(9000)))).toBe('PP_ERR_NETIO_SYSCALL'); // EMSGSIZE over the MTU
    expect(outcome(() => sender.send(testFrame(61)))).toBe('ok');
    expect(outcome(() => sender.send(testFrame(60), { ifindex: 999_999 }))).toBe('PP_ERR_NETIO_SYSCALL');
    expect(outcome(() => sender.send(testFrame(60), { ifindex: -1 }))).toBe('PP_ERR_NETIO_INVALID_ARGUMENT');
    expect(outcome(() => sender.send(testFrame(60), { mac: Buffer.alloc(3) }))).toBe(
      'PP_ERR_NETIO_INVALID_ARGUMENT',
    );
    expect(outcome(() => sender.send(testFrame(60), { mac: '02:00' }))).toBe('PP_ERR_NETIO_INVALID_ARGUMENT');
    expect(outcome(() => sender.send('frame' as unknown as Buffer))).toBe('PP_ERR_NETIO_INVALID_ARGUMENT');
    const dgram = openPacketSocket({ mode: 'dgram', protocol: ETHERTYPE_TEST, interface: 'f0', netns: near });
    expect(outcome(() => dgram.send(Buffer.from('x')))).toBe('PP_ERR_NETIO_INVALID_ARGUMENT');
    dgram.close();
    expect(outcome(() => openPacketSocket({ protocol: ETH_P_ALL, interface: 'nosuch0', netns: near }))).toBe(
      'PP_ERR_NETIO_SYSCALL',
    );
  });

  test('random sizes, ifindexes and MACs never escape as anything but coded errors', () => {
    const size = fc.oneof(
      fc.integer({ min: 0, max: 80 }),
      fc.integer({ min: 1400, max: 1600 }),
      fc.nat(70_000),
    );
    const ifindex = fc.option(fc.oneof(fc.integer({ min: -3, max: 5 }), fc.nat(), fc.double()), {
      nil: undefined,
    });
    const mac = fc.option(fc.uint8Array({ maxLength: 10 }), { nil: undefined });
    fc.assert(
      fc.property(size, ifindex, mac, (length, index, address) => {
        outcome(() => sender.send(testFrame(length), { ifindex: index, mac: address }));
      }),
      { numRuns: 500 },
    );
  });

  test('the native surface rejects garbage arguments with coded errors', () => {
    const native = binding();
    const ns = near.path; // every call that could create something targets the test namespace
    const badFd = 999_999;
    const handle = new native.PacketSocket(3, ETHERTYPE_TEST, null, 0, ns);
    const wrong: unknown[] = ['x', -1, Number.NaN, 2 ** 53, 1.5, {}, [], new Uint16Array(4)];
    const missing: unknown[] = [undefined, null];
    // [call, whether null/undefined is also wrong there (false: the argument is optional)]
    const calls: [(value: never) => unknown, boolean][] = [
      [(v) => handle.send(v, 1, null, 0), true],
      [(v) => handle.send(Buffer.alloc(60), v, null, 0), true],
      [(v) => handle.send(Buffer.alloc(60), 1, v, 0), false],
      [(v) => handle.send(Buffer.alloc(60), 1, null, v), true],
      [(v) => new native.PacketSocket(v, 0, null, 0, ns), true],
      [(v) => new native.PacketSocket(3, 0, v, 0, ns), false],
      [(v) => new native.PacketSocket(3, 0, null, v, ns), true],
      [(v) => new native.PacketSocket(3, 0, null, 0, v), false],
      [(v) => new native.TapDevice(v, false, false, ns), true],
      [(v) => new native.TapDevice('t0', v, false, ns), true],
      [(v) => native.tapDelete(v, ns), true],
      [(v) => native.openSocket(v, 2, 0, ns), true],
      [(v) => native.interfaceIndex(v, ns), true],
      [(v) => native.setIntOption(v, 1, 2, 1), true],
      [(v) => native.bindToDevice(badFd, v), false],
      [(v) => native.setMembership(badFd, v, '224.0.0.1', 1, true), true],
      [(v) => native.bindAddress(badFd, 4, v, 0), true],
      [(v) => native.sendIpv4(badFd, v), true],
      [(v) => native.setnsCurrentThread(v), true],
    ];
    calls.forEach(([call, required], index) => {
      for (const value of required ? [...wrong, ...missing] : wrong) {
        const result = nativeOutcome(() => call(value as never));
        if (!result.startsWith('E')) throw new Error(`call ${index} accepted ${String(value)}`);
      }
    });
    expect(nativeOutcome(() => new native.PacketSocket(3, 0, Buffer.alloc(7), 0, ns))).toBe('EINVAL');
    expect(nativeOutcome(() => native.tapCreate('t0', false, -2, -1, ns))).toBe('EINVAL');
    expect(nativeOutcome(() => native.tapCreate('t0', false, -1, 2 ** 32, ns))).toBe('EINVAL');
    handle.close();
    expect(nativeOutcome(() => handle.close())).toBe('EBADF');
    expect(nativeOutcome(() => handle.send(Buffer.alloc(60), 1, null, 0))).toBe('EBADF');
    expect(nativeOutcome(() => handle.stats())).toBe('EBADF');
    expect(nativeOutcome(() => handle.ref())).toBe('EBADF');
  });

  test('the kernel applies our BPF exactly as the TypeScript interpreter predicts', async () => {
    const filter = neighborDiscoveryFilter();
    const receiver = openPacketSocket({ protocol: ETH_P_ALL, filter, interface: 'f1', netns: far });
    const tagged = new Map<string, Buffer>();
    receiver.on('frame', (frame: PacketFrame) => {
      const at = frame.data.indexOf(TAG);
      if (frame.packetType !== PacketType.Outgoing && at >= 0)
        tagged.set(frame.data.subarray(at).toString(), frame.data);
    });
    const seeds = [neighborSolicitationFrame('02:00:00:00:00:0b', 'fe80::b', 'fe80::77'), testFrame(78)];
    const frames = fc.sample(
      fc.tuple(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.constantFrom(12, 13, 20, 54, 55), fc.nat(255)), { maxLength: 3 }),
      ),
      { numRuns: 300, seed: 4389 },
    );
    const expected = new Set<string>();
    frames.forEach(([seed, edits], index) => {
      const frame = Buffer.concat([seed, Buffer.from(`${TAG}${index}`)]);
      for (const [at, value] of edits) frame[at] = value;
      if (index % 2 === 0) frame[54] = 133 + (index % 4); // keep plenty of accepted frames
      if (runBpf(filter, frame) > 0) expected.add(`${TAG}${index}`);
      sender.send(frame);
    });
    await sleep(500);
    receiver.close();
    expect(expected.size).toBeGreaterThan(25);
    expect(frames.length - expected.size).toBeGreaterThan(25);
    expect(new Set(tagged.keys())).toEqual(expected);
  });

  test('a device going down and up does not stop a packet socket', async () => {
    const receiver = openPacketSocket({ protocol: ETHERTYPE_TEST, interface: 'f1', netns: far });
    await far.exec(['ip', 'link', 'set', 'f1', 'down']);
    await sleep(100);
    await far.exec(['ip', 'link', 'set', 'f1', 'up']);
    await sleep(100);
    const frame = testFrame(60);
    frame.write('after flap', 14);
    const received = nextMatching<PacketFrame>(receiver, 'frame', (f) => f.data.includes('after flap'));
    sender.send(frame);
    await received;
    expect(receiver.closed).toBe(false);
    receiver.close();
  });

  test('a TAP deleted under its guest reports an error event and closes', async () => {
    createTap({ name: 'doomed0', netns: near });
    const vm = openTap('doomed0', { netns: near });
    const failed = nextMatching<NetioError>(vm, 'error', () => true);
    const closed = nextMatching<void>(vm, 'close', () => true);
    await near.exec(['ip', 'link', 'delete', 'doomed0']);
    expect(await failed).toMatchObject({ code: 'PP_ERR_NETIO_SYSCALL', errnoName: 'EBADFD' });
    await closed;
    expect(vm.closed).toBe(true);
    expect(outcome(() => vm.close())).toBe('PP_ERR_NETIO_CLOSED');
  });

  test('a worker ending with its socket (frames arriving), TAP and lifeline open does not bring the process down', async () => {
    const native = JSON.stringify(addonPath);
    const flood = setInterval(() => {
      for (let i = 0; i < 100; i += 1) sender.send(testFrame(60));
    }, 0);
    try {
      for (let round = 0; round < 5; round += 1) {
        // The worker's env is freed with its port still polled and readable: no JS may run then.
        const source = `const n = require(${native});
          const socket = new n.PacketSocket(3, 3, null, 'f1', ${JSON.stringify(far.path)});
          socket.onframe = () => {};
          new n.TapDevice('wtap${round}', false, true, ${JSON.stringify(far.path)});
          new n.HangupWatch(n.createPipe()[1]);
          require('node:worker_threads').parentPort.postMessage('open');`;
        const worker = new Worker(source, { eval: true });
        await new Promise((resolve) => worker.once('message', resolve));
        await sleep(20);
        await worker.terminate();
      }
    } finally {
      clearInterval(flood);
    }
    const { stdout } = await far.exec(['ip', '-o', 'link', 'show']);
    expect(stdout).not.toContain('wtap'); // the TAPs went with their worker's fds
  });

  test('using or closing a closed socket of any kind is an error', async () => {
    const packet = openPacketSocket({ protocol: ETHERTYPE_TEST, interface: 'f0', netns: near });
    packet.close();
    expect(outcome(() => packet.close())).toBe('PP_ERR_NETIO_CLOSED');
    expect(outcome(() => packet.send(testFrame(60)))).toBe('PP_ERR_NETIO_CLOSED');
    expect(outcome(() => packet.stats())).toBe('PP_ERR_NETIO_CLOSED');
    expect(outcome(() => packet.unref())).toBe('PP_ERR_NETIO_CLOSED');
    const raw = openRawIpv4Socket({ netns: near });
    raw.close();
    expect(outcome(() => raw.close())).toBe('PP_ERR_NETIO_CLOSED');
    expect(outcome(() => raw.setDevice('f0'))).toBe('PP_ERR_NETIO_CLOSED');
    const udp = openUdpSocket({ family: 4, netns: near });
    await udp.close();
    await expect(udp.close()).rejects.toMatchObject({ code: 'PP_ERR_NETIO_CLOSED' });
    expect(outcome(() => udp.joinGroup('224.0.0.1', 'f0'))).toBe('PP_ERR_NETIO_CLOSED');
  });
});
