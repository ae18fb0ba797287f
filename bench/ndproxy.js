#!/usr/bin/env node
// The ND proxy: ours (the standalone ndproxyd) next to ndppd and the kernel's proxy_ndp, on one topology in one
// run. (1) First-packet RTT from the lan to a guest address with cold neighbour caches. (2) Neighbor
// Solicitations per second from the lan the proxy handles without loss. Root only; not a test.
//   npx tsc -b && node bench/ndproxy.js [--rounds N]

const { cpus } = require('node:os');
const { setTimeout: sleep } = require('node:timers/promises');
const { createTestbed, createVirtualHost, VIRTUAL_HOST } = require('@patchpanel/testbed');
const { frameSender, solicitationCounter, solicitationFrame } = require('./lib/nd-frames');
const { ensureDebianPackages } = require('./lib/debian-packages');
const { kernelProxyNdp, NDPPD, ndppd, ours } = require('./lib/nd-proxies');
const { printReport } = require('./lib/ndproxy-report');
const { offer, rxPackets, using } = require('./lib/offered-load');

const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = (roundsArg > 0 && Number(process.argv[roundsArg + 1])) || 50;
const KERNEL_ROUNDS = 8; // each waits a random part of proxy_delay (0.8 s)
const WARMUP_ROUNDS = 2;
const PAUSE_MS = 400;
const NDPPD_COLD_TTL_MS = 100;
const NDPPD_WARM_TTL_MS = 600_000;
const RATES = [1000, 5000, 10_000, 20_000, 30_000, 50_000];
const SECONDS_PER_RATE = 2;

const { lanMac: LAN_MAC, lanIpv6: LAN_IPV6 } = VIRTUAL_HOST;
const GUEST = '2001:db8:1::100';
const HOST_IPV6 = '2001:db8:1::2';
const PREFIX = '2001:db8:1::/64';
const SETUP = {
  guest: GUEST,
  pauseMs: PAUSE_MS,
  warmupRounds: WARMUP_ROUNDS,
  ndppdColdTtlMs: NDPPD_COLD_TTL_MS,
  ndppdWarmTtlMs: NDPPD_WARM_TTL_MS,
  secondsPerRate: SECONDS_PER_RATE,
};
const NAMES = { upstream: 'eth0', guest: 'gst0', address: GUEST, prefix: PREFIX };

/** The host's link-local address on `ifname`, once the kernel has made it. */
async function linkLocal(ns, ifname) {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const { stdout } = await ns.exec(['ip', '-j', '-6', 'addr', 'show', 'dev', ifname, 'scope', 'link']);
    const address = JSON.parse(stdout)[0]?.addr_info?.find((a) => !a.tentative)?.local;
    if (address !== undefined) return address;
    await sleep(100);
  }
  throw new Error(`no link-local address on ${ifname}`);
}

/**
 * lan (lan0 2001:db8:1::1/64) — host (eth0 2001:db8:1::2/64, forwarding on, gst0) — guest (g0 with
 * 2001:db8:1::100/64 without its on-link route, default via the host's gst0 link-local), and the guest's /128
 * route in the host: so only the lan's look-up of the guest goes through a proxy, whichever it is.
 */
async function buildTopology(bed) {
  const { lan, host } = await createVirtualHost(bed);
  const guest = await bed.netns('guest');
  await guest.sysctl({ 'net.ipv6.conf.default.accept_dad': 0, 'net.ipv6.conf.default.accept_ra': 0 });
  await host.sysctl({ 'net.ipv6.conf.all.forwarding': 1, 'net.ipv6.conf.eth0.accept_ra': 2 });
  await host.exec(['ip', '-6', 'addr', 'add', `${HOST_IPV6}/64`, 'dev', 'eth0', 'nodad']);
  await bed.veth(host, 'gst0', guest, 'g0');
  await guest.exec(['ip', '-6', 'addr', 'add', `${GUEST}/64`, 'dev', 'g0', 'nodad', 'noprefixroute']);
  const gateway = await linkLocal(host, 'gst0');
  await guest.exec(['ip', '-6', 'route', 'add', 'default', 'via', gateway, 'dev', 'g0']);
  await host.exec(['ip', '-6', 'route', 'replace', `${GUEST}/128`, 'dev', 'gst0']);
  return { lan, host, guest };
}

const FLUSHED = [
  ['lan', 'lan0'],
  ['host', 'eth0'],
  ['host', 'gst0'],
  ['guest', 'g0'],
];
const flushNeighbours = (topology) =>
  Promise.all(FLUSHED.map(([ns, dev]) => topology[ns].exec(['ip', '-6', 'neigh', 'flush', 'dev', dev])));

/** RTT in ms of one ping from the lan to the guest, undefined when no reply came within 2 s. */
async function firstPacketRtt(lan) {
  try {
    const { stdout } = await lan.exec(['ping', '-6', '-n', '-c1', '-W2', GUEST]);
    return Number(/time=([\d.]+) ms/.exec(stdout)[1]);
  } catch {
    return undefined;
  }
}

/** Per round: a pause, every neighbour cache flushed, one ping; and the NS the guest saw during the ping. */
async function latency(topology, guestCounter, proxy, rounds) {
  const { result } = await using(proxy, async () => {
    const rtts = [];
    const nsAtGuest = [];
    let lost = 0;
    for (let round = -WARMUP_ROUNDS; round < rounds; round += 1) {
      await sleep(PAUSE_MS);
      await flushNeighbours(topology);
      const before = guestCounter.count();
      const rtt = await firstPacketRtt(topology.lan);
      if (round < 0) continue;
      nsAtGuest.push(guestCounter.count() - before);
      if (rtt === undefined) lost += 1;
      else rtts.push(rtt);
    }
    return { rtts, lost, nsAtGuest };
  });
  return { name: proxy.name, ...result };
}

/** At each rate: frames sent from lan0, and the kernel's rx counts of the host's eth0, the guest's g0, lan0. */
async function throughput(topology, sender, proxy, frame) {
  const counts = async () => ({
    eth0: await rxPackets(topology.host, 'eth0'),
    g0: await rxPackets(topology.guest, 'g0'),
    lan0: await rxPackets(topology.lan, 'lan0'),
  });
  const { result, note } = await using(proxy, async () => {
    if ((await firstPacketRtt(topology.lan)) === undefined)
      throw new Error(`${proxy.name}: guest unreachable`);
    const steps = [];
    for (const rate of RATES) {
      const before = await counts();
      const { sent, ms } = await offer(() => sender.send(frame), rate, SECONDS_PER_RATE);
      await sleep(300); // let queues drain
      const after = await counts();
      const rx = Object.fromEntries(Object.keys(after).map((dev) => [dev, after[dev] - before[dev]]));
      steps.push({ rate, sent, ms, ...rx });
    }
    return steps;
  });
  return { name: proxy.name, steps: result, note };
}

async function main() {
  ensureDebianPackages({ [NDPPD]: 'ndppd' });
  const bed = await createTestbed({ label: 'bench ndproxy' });
  const sockets = [];
  try {
    const topology = await buildTopology(bed);
    const { host } = topology;
    const guestCounter = solicitationCounter(topology.guest, 'g0', GUEST);
    sockets.push(guestCounter);
    const latencies = [];
    for (const [proxy, rounds] of [
      [ours(bed, host, NAMES), ROUNDS],
      [ndppd(bed, host, { ...NAMES, ttl: NDPPD_COLD_TTL_MS }), ROUNDS],
      [kernelProxyNdp(host, NAMES), KERNEL_ROUNDS],
    ]) {
      latencies.push(await latency(topology, guestCounter, proxy, rounds));
    }
    guestCounter.close(); // no counting in this process while it generates load
    const sender = frameSender(topology.lan, 'lan0');
    sockets.push(sender);
    const frame = solicitationFrame({ sourceMac: LAN_MAC, source: LAN_IPV6, target: GUEST });
    const rates = [];
    for (const proxy of [ours(bed, host, NAMES), ndppd(bed, host, { ...NAMES, ttl: NDPPD_WARM_TTL_MS })]) {
      rates.push(await throughput(topology, sender, proxy, frame));
    }
    const header = [
      `ndproxy: ours vs ndppd 0.2.5 (${NDPPD}) vs the kernel's proxy_ndp, lan -> host -> guest`,
      `   ${cpus().length} CPUs; the load generator runs in this process; each system runs alone`,
    ];
    printReport({ header, latencies, rates, setup: SETUP });
  } finally {
    for (const socket of sockets) socket.close();
    await bed.teardown();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
