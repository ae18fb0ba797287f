#!/usr/bin/env node
// The mDNS forwarder: ours (the standalone mcastd) next to avahi-daemon's reflector, on one topology in one run.
// (1) The latency one mDNS query gains crossing lan -> host -> guest, against one veth hop without a forwarder.
// (2) mDNS datagrams per second from the lan that reach the guest without loss. Root only; not a test.
//   npx tsc -b && node bench/mcast.js [--rounds N]

const { execFileSync } = require('node:child_process');
const { cpus } = require('node:os');
const { setTimeout: sleep } = require('node:timers/promises');
const { createTestbed, createVirtualHost } = require('@patchpanel/testbed');
const { avahiReflector, ours } = require('./lib/mcast-forwarders');
const { printReport } = require('./lib/mcast-report');
const {
  nameFor,
  newTag,
  openReceiver,
  openSender,
  queryFor,
  questionNames,
  taggedQuestions,
} = require('./lib/mdns-traffic');
const { cpuMs, offer, ownCpuMs, rxPackets, using } = require('./lib/offered-load');
const { elapsedMs } = require('./lib/stats');

const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = (roundsArg > 0 && Number(process.argv[roundsArg + 1])) || 200;
const PACE_MS = 20;
const WARMUP_ROUNDS = 5;
const LATE_MS = 500; // a query not seen by then is lost
const RATES = [1000, 5000, 10_000, 20_000, 40_000];
const SECONDS_PER_RATE = 2;
const DRAIN_MS = 300;
const STEPS = [...RATES.map((rate) => ({ rate, oneName: false })), { rate: 1000, oneName: true }];

const NAMES = { upstream: 'eth0', guest: 'gst0' };
const SETUP = {
  rounds: ROUNDS,
  paceMs: PACE_MS,
  warmupRounds: WARMUP_ROUNDS,
  lateMs: LATE_MS,
  secondsPerRate: SECONDS_PER_RATE,
};

/**
 * lan (lan0 198.51.100.1/24) — host (eth0 198.51.100.2/24; gst0 100.115.92.129/30) — guest (g0
 * 100.115.92.130/30, default via .129). No multicast routes: every socket that sends to the group is bound to its
 * device (ours, and the bench's sender), and avahi gives each packet its interface (IP_PKTINFO).
 */
async function buildTopology(bed) {
  const { lan, host } = await createVirtualHost(bed);
  const guest = await bed.netns('guest');
  await bed.veth(host, 'gst0', guest, 'g0');
  await host.exec(['ip', 'addr', 'add', '100.115.92.129/30', 'dev', 'gst0']);
  await guest.exec(['ip', 'addr', 'add', '100.115.92.130/30', 'dev', 'g0']);
  await guest.exec(['ip', 'route', 'add', 'default', 'via', '100.115.92.129']);
  return { lan, host, guest };
}

/** `rounds` queries, one every PACE_MS, each for a new name; per query the ms from send to arrival at `receiver`. */
async function crossing(sender, receiver, rounds) {
  const tag = newTag('q');
  const sentAt = new Map();
  const delays = new Map();
  receiver.listen((datagram, arrivedAt) => {
    for (const name of questionNames(datagram)) {
      const from = sentAt.get(name);
      if (from !== undefined && !delays.has(name)) delays.set(name, elapsedMs(from, arrivedAt));
    }
  });
  for (let n = 0; n < rounds; n += 1) {
    const name = nameFor(tag, n);
    const query = queryFor(name);
    sentAt.set(name, process.hrtime.bigint());
    sender.send(query);
    await sleep(PACE_MS);
  }
  await sleep(LATE_MS);
  return { ms: [...delays.values()], lost: rounds - delays.size };
}

/** Warm-up rounds until one crosses (the forwarder's sockets are up), then the counted rounds. */
async function latency(sender, receiver, rounds) {
  for (let attempt = 1; ; attempt += 1) {
    const { lost } = await crossing(sender, receiver, WARMUP_ROUNDS);
    if (lost < WARMUP_ROUNDS) break;
    if (attempt === 10) throw new Error('no query crosses');
  }
  return crossing(sender, receiver, rounds);
}

/** UDP datagrams the kernel of `ns` dropped for a full socket receive buffer (Udp RcvbufErrors), so far. */
async function rcvbufErrors(ns) {
  const { stdout } = await ns.exec(['cat', '/proc/net/snmp']);
  const [names, values] = stdout
    .split('\n')
    .filter((line) => line.startsWith('Udp:'))
    .map((line) => line.split(' '));
  return Number(values[names.indexOf('RcvbufErrors')]);
}

/**
 * Per step: queries sent from lan0 (each for a new name, or all for one name), what the kernel counted on eth0 and
 * g0, what the guest's socket read, the drops for full socket buffers in the host (the forwarder's) and in the
 * guest (the bench's receiver), and the CPU time of the forwarder and of this process.
 */
async function throughput(topology, sender, receiver, system) {
  const { host, guest } = topology;
  const counts = async () => ({
    eth0: await rxPackets(host, 'eth0'),
    g0: await rxPackets(guest, 'g0'),
    hostDrops: await rcvbufErrors(host),
    guestDrops: await rcvbufErrors(guest),
    cpuMs: cpuMs(system.pid()),
    benchCpuMs: ownCpuMs(),
    wallMs: Number(process.hrtime.bigint() / 1_000_000n),
  });
  const { result, note } = await using(system, async () => {
    await latency(sender, receiver, 0);
    const steps = [];
    for (const step of STEPS) {
      const tag = newTag('t');
      const tagBytes = Buffer.from(tag);
      const got = { datagrams: 0, questions: 0 };
      receiver.listen((datagram) => {
        const questions = taggedQuestions(datagram, tagBytes);
        if (questions === 0) return;
        got.datagrams += 1;
        got.questions += questions;
      });
      const oneQuery = queryFor(nameFor(tag, 0));
      const send = step.oneName ? () => sender.send(oneQuery) : (n) => sender.send(queryFor(nameFor(tag, n)));
      const failedBefore = sender.failed;
      const before = await counts();
      const { sent, ms } = await offer(send, step.rate, SECONDS_PER_RATE);
      await sleep(DRAIN_MS);
      const after = await counts();
      const delta = Object.fromEntries(Object.keys(after).map((key) => [key, after[key] - before[key]]));
      const failed = sender.failed - failedBefore;
      steps.push({ ...step, sent: sent - failed, failed, ms, ...delta, ...got });
    }
    return steps;
  });
  return { name: system.name, ratelimit: system.ratelimit, steps: result, note };
}

async function main() {
  const bed = await createTestbed({ label: 'bench mcast' });
  const sockets = new Set();
  const open = (socket) => sockets.add(socket) && socket;
  const close = async (socket) => sockets.delete(socket) && (await socket.close());
  try {
    const topology = await buildTopology(bed);
    const sender = open(openSender(topology.lan, 'lan0'));
    const atHost = open(openReceiver(topology.host, 'eth0'));
    const baseline = { name: 'no forwarder: lan0 -> eth0', ...(await latency(sender, atHost, ROUNDS)) };
    await close(atHost);
    const atGuest = open(openReceiver(topology.guest, 'g0'));
    const latencies = [baseline];
    for (const system of [ours(bed, topology.host, NAMES), avahiReflector(bed, topology.host, NAMES)]) {
      const { result } = await using(system, () => latency(sender, atGuest, ROUNDS));
      latencies.push({ name: `${system.name}: lan0 -> g0`, ratelimit: system.ratelimit, ...result });
    }
    const rates = [];
    for (const system of [
      ours(bed, topology.host, NAMES),
      avahiReflector(bed, topology.host, NAMES),
      avahiReflector(bed, topology.host, { ...NAMES, unlimited: true }),
    ]) {
      rates.push(await throughput(topology, sender, atGuest, system));
    }
    const avahi = execFileSync('avahi-daemon', ['--version'], { encoding: 'utf8' }).trim();
    const header = [
      `mcast: ours (mcastd) vs ${avahi} with enable-reflector=yes, lan -> host -> guest, IPv4 mDNS`,
      `   ${cpus().length} CPUs; sender and receivers are sockets in this process; each forwarder runs alone`,
    ];
    printReport({ header, latencies, rates, setup: SETUP });
  } finally {
    for (const socket of sockets) await close(socket).catch(() => {});
    await bed.teardown();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
