#!/usr/bin/env node
// AF_PACKET through @patchpanel/netio: frames per second sent and received with one JS call per frame, between
// two test-bed namespaces joined by a veth, next to the kernel's own counters for the same traffic (the veth's
// interface statistics and the socket's PACKET_STATISTICS). Target: >= 100 000 frames/s received. The process
// stays in the root namespace; its sockets are opened inside the test namespaces. Root only. Not a test.
//   npm run build && node bench/netio-packet-socket.js [--seconds N]

const { execFileSync } = require('node:child_process');
const { Worker } = require('node:worker_threads');
const { createTestbed } = require('@patchpanel/testbed');
const { openPacketSocket } = require('@patchpanel/netio');
const { elapsedMs } = require('./lib/stats');

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 3;
const ETHERTYPE = 0x88b5; // IEEE local experimental
const TARGET_RECEIVED_PER_SECOND = 100_000;

/** A 60-byte broadcast frame of our test ethertype. */
function testFrame() {
  const frame = Buffer.alloc(60);
  frame.fill(0xff, 0, 6);
  frame.writeUInt16BE(ETHERTYPE, 12);
  return frame;
}

/** The kernel's packet counters of one interface in a namespace. */
function kernelCounters(ns, device) {
  const [link] = JSON.parse(execFileSync('ip', ['-n', ns.name, '-s', '-j', 'link', 'show', 'dev', device]));
  return { rx: link.stats64.rx.packets, tx: link.stats64.tx.packets };
}

/** Sends from the main thread as fast as JS can for `seconds`, yielding to the loop between bursts. */
async function sendPhase(tx) {
  const socket = openPacketSocket({ protocol: ETHERTYPE, interface: 'b0', netns: tx });
  const frame = testFrame();
  const started = process.hrtime.bigint();
  let sent = 0;
  while (elapsedMs(started) < seconds * 1000) {
    for (let i = 0; i < 4096; i += 1) sent += socket.send(frame) > 0 ? 1 : 0;
    await new Promise(setImmediate);
  }
  const ms = elapsedMs(started);
  socket.close();
  return { sent, ms };
}

// The flooding sender runs on a worker thread, so sending and receiving each get a core.
const SENDER = `
const { parentPort, workerData } = require('node:worker_threads');
const { openPacketSocket } = require(workerData.netio);
const socket = openPacketSocket({ protocol: workerData.ethertype, interface: 'b0', netns: { path: workerData.netns } });
const frame = Buffer.alloc(60);
frame.fill(0xff, 0, 6);
frame.writeUInt16BE(workerData.ethertype, 12);
const shared = new Int32Array(workerData.shared); // [0]: stop flag, [1]: frames sent so far
function burst() {
  let sent = 0;
  for (; sent < 4096; sent += 1) {
    try {
      socket.send(frame);
    } catch (error) {
      if (error.errnoName !== 'EAGAIN' && error.errnoName !== 'ENOBUFS') throw error;
      break;
    }
  }
  Atomics.add(shared, 1, sent);
  if (Atomics.load(shared, 0) === 0) return setImmediate(burst);
  socket.close();
  parentPort.postMessage('stopped');
}
burst();
`;

/** A worker floods b0 while the main thread counts frames on b1 in a 'frame' listener. */
async function receivePhase(tx, rx) {
  const receiver = openPacketSocket({ protocol: ETHERTYPE, interface: 'b1', netns: rx });
  let received = 0;
  receiver.on('frame', () => {
    received += 1;
  });
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const netio = require.resolve('@patchpanel/netio');
  const workerData = { netio, netns: tx.path, ethertype: ETHERTYPE, shared: shared.buffer };
  const worker = new Worker(SENDER, { eval: true, workerData });
  const stopped = new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the flood start
  const before = { sent: Atomics.load(shared, 1), received, rx: kernelCounters(rx, 'b1').rx };
  receiver.stats(); // the kernel resets these counters on each read
  const started = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const ms = elapsedMs(started);
  const socketStats = receiver.stats();
  const after = { sent: Atomics.load(shared, 1), received, rx: kernelCounters(rx, 'b1').rx };
  Atomics.store(shared, 0, 1);
  await stopped;
  receiver.close();
  const delta = (key) => after[key] - before[key];
  return { ms, sent: delta('sent'), received: delta('received'), kernelRx: delta('rx'), socketStats };
}

const rate = (count, ms) => Math.round((count * 1000) / ms);
const row = (label, count, ms) =>
  `  ${label.padEnd(46)} ${String(count).padStart(10)} frames  ${String(rate(count, ms)).padStart(9)} frames/s`;

async function main() {
  const bed = await createTestbed({ label: 'bench netio-packet-socket' });
  try {
    const tx = await bed.netns('tx');
    const rx = await bed.netns('rx');
    for (const ns of [tx, rx]) await ns.sysctl({ 'net.ipv6.conf.default.disable_ipv6': 1 });
    await bed.veth(tx, 'b0', rx, 'b1');

    const txBefore = kernelCounters(tx, 'b0');
    const rxBefore = kernelCounters(rx, 'b1');
    const send = await sendPhase(tx);
    const txDelta = kernelCounters(tx, 'b0').tx - txBefore.tx;
    const rxDelta = kernelCounters(rx, 'b1').rx - rxBefore.rx;

    const receive = await receivePhase(tx, rx);

    console.log(
      `netio packet socket, 60-byte frames over a veth between two namespaces, ${seconds} s per phase`,
    );
    console.log('send: main thread, one send() per frame');
    console.log(row('sent by JS', send.sent, send.ms));
    console.log(row('kernel: b0 tx packets', txDelta, send.ms));
    console.log(row('kernel: b1 rx packets', rxDelta, send.ms));
    console.log('receive: a worker thread floods, the main thread runs a JS callback per frame');
    console.log(row('sent by the worker', receive.sent, receive.ms));
    console.log(row('kernel: b1 rx packets', receive.kernelRx, receive.ms));
    console.log(row('received in JS (one callback per frame)', receive.received, receive.ms));
    const { packets, drops } = receive.socketStats;
    const share = ((100 * drops) / Math.max(packets, 1)).toFixed(1);
    console.log(
      `  socket PACKET_STATISTICS: ${packets} matched, ${drops} dropped on a full receive queue (${share} %)`,
    );
    const received = rate(receive.received, receive.ms);
    const verdict = received >= TARGET_RECEIVED_PER_SECOND ? 'met' : 'NOT met';
    console.log(`target >= ${TARGET_RECEIVED_PER_SECOND} frames/s received: ${verdict} (${received})`);
  } finally {
    await bed.teardown();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
