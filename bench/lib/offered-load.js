// Steps of a load benchmark: a system started and stopped around a body, a paced generator, and the counters that
// tell where the load went (the kernel's per-interface packets, a process's CPU time). Shared by ndproxy.js and
// mcast.js.

const { readFileSync } = require('node:fs');
const { setTimeout: sleep } = require('node:timers/promises');
const { elapsedMs } = require('./stats');

/** Starts `system`, runs `body`, stops it (also on failure); resolves `{ result, note }`. */
async function using(system, body) {
  await system.start();
  try {
    const result = await body();
    return { result, note: await system.stop() };
  } catch (error) {
    await system.stop().catch(() => {});
    throw error;
  }
}

/** Calls `send(n)` `rate` times a second for `seconds`, in bursts every millisecond, as far behind as the clock says. */
async function offer(send, rate, seconds) {
  const total = rate * seconds;
  const started = process.hrtime.bigint();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((elapsedMs(started) * rate) / 1000));
    for (; sent < due; sent += 1) send(sent);
    await sleep(1);
  }
  return { sent, ms: elapsedMs(started) };
}

/** The kernel's count of packets received on `dev` in `ns`. */
async function rxPackets(ns, dev) {
  const { stdout } = await ns.exec(['ip', '-s', '-j', 'link', 'show', 'dev', dev]);
  return JSON.parse(stdout)[0].stats64.rx.packets;
}

/** User + system CPU time of `pid` so far, in ms (from /proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** User + system CPU time of this process so far, in ms. */
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

module.exports = { using, offer, rxPackets, cpuMs, ownCpuMs };
