// Exercises every native path once or many times, for scripts/memcheck.sh (valgrind). Runs inside a private
// network namespace (unshare --net): the links it makes vanish with the process.

const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { once } = require('node:events');
const net = require('node:net');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const netio = require('../dist/index.js');
const { binding } = require('../dist/binding.js');

const ip = (...args) => execFileSync('ip', args);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls fn expecting a coded error (netio PP_ERR_* or native errno name). */
function rejects(fn) {
  try {
    fn();
  } catch (error) {
    assert.match(String(error.code), /^(PP_ERR_NETIO_|E)/);
    return;
  }
  assert.fail('expected an error');
}

function frame(size, ethertype = 0x88b5) {
  const bytes = Buffer.alloc(size);
  bytes.fill(0xff, 0, Math.min(size, 6));
  if (size >= 14) bytes.writeUInt16BE(ethertype, 12);
  return bytes;
}

async function packetSockets() {
  const receiver = netio.openPacketSocket({ protocol: netio.ETH_P_ALL, interface: 'vb' });
  const filtered = netio.openPacketSocket({
    protocol: netio.ETH_P_IPV6,
    filter: netio.neighborDiscoveryFilter(),
    interface: 'vb',
  });
  const sender = netio.openPacketSocket({ protocol: 0x88b5, interface: 'va' });
  let received = 0;
  receiver.on('frame', (f) => {
    received += f.data.length > 0 ? 1 : 0;
  });
  filtered.on('frame', () => {});
  for (let i = 0; i < 2000; i += 1) sender.send(frame(14 + (i % 1500)));
  for (const size of [0, 13, 70000, 9000]) rejects(() => sender.send(frame(size)));
  rejects(() => sender.send(frame(60), { ifindex: 99999 }));
  rejects(() => sender.send(frame(60), { mac: Buffer.alloc(3) }));
  assert.throws(() => binding().PacketSocket.prototype.send.call(sender, frame(60), 1, null, 0)); // wrong `this`
  await sleep(500);
  assert.ok(received > 0, 'frames received');
  const stats = receiver.stats();
  assert.equal(typeof stats.packets, 'number');
  for (const socket of [receiver, filtered, sender]) socket.close();
  rejects(() => sender.close());
  rejects(() => sender.send(frame(60)));
}

async function throwingListener() {
  const receiver = netio.openPacketSocket({ protocol: 0x88b6, interface: 'vb' });
  const sender = netio.openPacketSocket({ protocol: 0x88b6, interface: 'va' });
  receiver.on('frame', () => {
    throw new Error('listener failure');
  });
  const caught = new Promise((resolve) => process.once('uncaughtException', resolve));
  sender.send(frame(60, 0x88b6));
  assert.equal((await caught).message, 'listener failure');
  receiver.close();
  sender.close();
}

async function garbageCollected() {
  for (let i = 0; i < 20; i += 1) netio.openPacketSocket({ protocol: 0x88b7, interface: 'vb' }).unref();
  await sleep(50);
  global.gc();
  await sleep(50);
  global.gc();
}

async function taps() {
  const name = netio.createTap({ name: 'mtap%d', owner: 1000, vnetHdr: true });
  rejects(() => netio.createTap({ name }));
  const tap = netio.openTap(name, { vnetHdr: true });
  ip('link', 'set', name, 'up');
  const onTap = netio.openPacketSocket({ protocol: 0x88b5, interface: name });
  let fromHost = 0;
  let fromGuest = 0;
  tap.on('frame', () => (fromHost += 1));
  onTap.on('frame', () => (fromGuest += 1));
  for (let i = 0; i < 200; i += 1) {
    tap.write(frame(14 + i));
    onTap.send(frame(60 + i));
  }
  rejects(() => tap.write(frame(5)));
  await sleep(300);
  assert.ok(fromHost > 0 && fromGuest > 0, 'TAP frames both ways');
  rejects(() => netio.deleteTap(name));
  onTap.close();
  tap.close();
  rejects(() => tap.close());
  netio.deleteTap(name);
  rejects(() => netio.deleteTap(name));
  const doomed = netio.openTap('mdoom0', { create: true });
  const failed = new Promise((resolve) => doomed.once('error', resolve));
  ip('link', 'delete', 'mdoom0');
  assert.equal((await failed).errnoName, 'EBADFD');
}

async function udpAndRaw() {
  const udp = netio.openUdpSocket({
    family: 4,
    device: 'vb',
    port: 5353,
    memberships: [{ group: '224.0.0.251', interface: 'vb' }],
    multicastTtl: 2,
    ttl: 9,
    broadcast: true,
  });
  const udp6 = netio.openUdpSocket({
    family: 6,
    port: 5353,
    memberships: [{ group: 'ff02::fb', interface: 'vb' }],
  });
  udp.joinGroup('224.0.0.252', 'vb');
  rejects(() => udp.joinGroup('224.0.0.252', 'nosuch0'));
  rejects(() => netio.openUdpSocket({ family: 4, device: 'nosuch0' }));
  const capture = netio.openPacketSocket({
    mode: 'dgram',
    protocol: netio.ETH_P_IP,
    filter: netio.udpBroadcastFilter(),
    interface: 'vb',
  });
  const captured = new Promise((resolve) => capture.once('frame', resolve));
  const raw = netio.openRawIpv4Socket({ device: 'va' });
  // IPv4 (TTL 7, foreign source 192.0.2.99, to 255.255.255.255) + UDP 40000 -> 40001 without checksum + 'abcd'
  const packet = Buffer.from(
    ['45000020beef00000711', '0000', 'c0000263', 'ffffffff', '9c409c41000c0000', '61626364'].join(''),
    'hex',
  );
  raw.send(packet);
  rejects(() => raw.send(Buffer.alloc(20)));
  raw.setDevice(null);
  assert.ok((await captured).data.length >= 28);
  raw.close();
  capture.close();
  await udp.close();
  await udp6.close();
}

async function namespaces() {
  const fd = netio.openSocketInNetns(
    { path: '/proc/self/ns/net' },
    { domain: netio.AF_NETLINK, type: netio.SOCK_RAW, protocol: 0 },
  );
  require('node:fs').closeSync(fd);
  rejects(() => netio.openSocketInNetns({ path: '/nonexistent' }, { domain: 16, type: 3, protocol: 0 }));
  rejects(() => netio.joinNetnsOnWorkerThread({ pid: process.pid }));
  rejects(() => binding().setnsCurrentThread('/proc/self/ns/net'));
  const worker = await netio.NetnsWorker.start({ path: '/proc/self/ns/net' });
  const names = await worker.run({ module: 'node:os', fn: 'networkInterfaces' });
  assert.ok('va' in names);
  await worker.close();
  await workersEndingUnderTraffic();
}

/** A worker's env is freed while its ports are still polled and frames arrive: no JS may run then. */
async function workersEndingUnderTraffic() {
  const sender = netio.openPacketSocket({ protocol: 0x88b5, interface: 'vb' });
  const flood = setInterval(() => {
    for (let i = 0; i < 100; i += 1) sender.send(frame(60));
  }, 0);
  for (let round = 0; round < 5; round += 1) {
    const source = `const n = require(${JSON.stringify(path.join(__dirname, '../dist/index.js'))});
      n.openPacketSocket({ protocol: 3, interface: 'va' }).on('frame', () => {});
      n.openTap('mleak${round}', { create: true });
      n.watchHangup(n.createPipe().writeFd, () => {});
      require('node:worker_threads').parentPort.postMessage('open');`;
    const worker = new Worker(source, { eval: true });
    await new Promise((resolve) => worker.once('message', resolve));
    await sleep(20);
    await worker.terminate();
  }
  clearInterval(flood);
  sender.close();
}

async function lifelines() {
  const { readFd, writeFd } = netio.createPipe();
  const hungUp = new Promise((resolve) => netio.watchHangup(writeFd, resolve));
  require('node:fs').closeSync(readFd);
  await hungUp;
  const second = netio.createPipe();
  const watch = netio.watchHangup(second.readFd, () => {});
  watch.close();
  rejects(() => watch.close());
  require('node:fs').closeSync(second.writeFd);
}

/** A connected pair over loopback TCP, or over an abstract Unix socket when `unixName` is given. */
async function connectedPair(unixName) {
  const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true });
  await new Promise((resolve) =>
    unixName ? server.listen(`\0${unixName}`, resolve) : server.listen(0, '127.0.0.1', resolve),
  );
  const accepted = once(server, 'connection');
  const to = unixName ? { path: `\0${unixName}` } : { host: '127.0.0.1', port: server.address().port };
  const client = net.connect({ ...to, allowHalfOpen: true });
  const [[accepting]] = await Promise.all([accepted, once(client, 'connect')]);
  server.close();
  return [client, accepting];
}

/** Peers A and B, and a relay between a (accepted from A) and b (connected to B). */
async function relayed(unixName) {
  const [A, a] = await connectedPair(unixName);
  const [b, B] = await connectedPair();
  b.pause();
  const relay = netio.spliceSockets(a, b, { pipeBytes: 64 * 1024 });
  const closed = once(relay, 'close').then(([result]) => result);
  for (const peer of [A, B]) {
    peer.on('error', () => {});
    peer.resume();
  }
  return { A, B, relay, closed };
}

async function spliceRelays() {
  const clean = await relayed('pp-memcheck');
  clean.A.end(Buffer.alloc(3 << 20, 1));
  clean.B.end(Buffer.alloc(1 << 20, 2));
  assert.deepEqual(await clean.closed, { aToB: 3 << 20, bToA: 1 << 20 });
  const reset = await relayed();
  reset.A.write('x');
  await sleep(50);
  reset.A.resetAndDestroy();
  assert.equal((await reset.closed).error.errnoName, 'ECONNRESET');
  const closing = await relayed();
  closing.A.write(Buffer.alloc(4 << 20));
  await sleep(50);
  closing.relay.close();
  closing.relay.close();
  assert.equal((await closing.closed).error.code, 'PP_ERR_NETIO_CLOSED');
  rejects(() => netio.spliceSockets(new net.Socket(), new net.Socket()));
  for (const peer of [clean, reset, closing].flatMap(({ A, B }) => [A, B])) peer.destroy();
  // A worker ends while its relay moves bytes: the env's teardown closes the relay, no callback follows.
  const source = `const n = require(${JSON.stringify(path.join(__dirname, '../dist/index.js'))});
    const net = require('node:net');
    const server = net.createServer({ pauseOnConnect: true }, (a) => {
      const b = net.connect(server.address().port, '127.0.0.1', () => {
        b.pause();
        n.spliceSockets(a, b);
        require('node:worker_threads').parentPort.postMessage('open');
      });
    }).listen(0, '127.0.0.1', () => {
      const A = net.connect(server.address().port, '127.0.0.1', () => setInterval(() => A.write(Buffer.alloc(65536)), 1));
      A.on('error', () => {});
    });`;
  const worker = new Worker(source, { eval: true });
  await once(worker, 'message');
  await sleep(50);
  await worker.terminate();
}

async function main() {
  ip('link', 'set', 'lo', 'up');
  ip('link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb');
  ip('link', 'set', 'va', 'up');
  ip('link', 'set', 'vb', 'up');
  ip('addr', 'add', '10.99.0.1/24', 'dev', 'vb');
  const steps = [
    packetSockets,
    throwingListener,
    garbageCollected,
    taps,
    udpAndRaw,
    namespaces,
    lifelines,
    spliceRelays,
  ];
  for (const step of steps) {
    await step();
    process.stdout.write(`memcheck workload: ${step.name} done\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
