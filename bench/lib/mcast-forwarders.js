// The mDNS forwarders the multicast benchmark compares, each between the host's `upstream` and `guest`. Each has a
// `name`, `start()`, `pid()` (the process doing the forwarding) and `stop()` → a line about what it counted itself,
// or undefined.

const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { startAvahi } = require('@patchpanel/testbed');
const { standaloneDaemon } = require('./standalone-daemon');

const mcastd = path.resolve(__dirname, '../../packages/mcast-helper/dist/mcastd.js');
const AVAHI_READY = /Server startup complete/;

/** Ours: the standalone mcastd; its counters come from its "stopped" line. */
function ours(bed, host, { upstream, guest }) {
  const describe = (stats) => `its mDNS counters: ${JSON.stringify(stats.mdns)}`;
  return standaloneDaemon(bed, host, { name: 'mcastd (ours)', script: mcastd, upstream, guest, describe });
}

/** The `ratelimit-*` lines of the test bed's avahi config (read from the file it wrote). */
const ratelimitOf = (config) =>
  config
    .split('\n')
    .filter((line) => line.startsWith('ratelimit-'))
    .join(', ');

/**
 * avahi-daemon with its reflector on, in the host namespace, started by the test bed. With `unlimited`, it is then
 * restarted (the same bwrap argv and config directory) with `ratelimit-interval-usec=0`, which switches off
 * avahi's per-interface limit on the packets it sends.
 */
function avahiReflector(bed, host, { upstream, guest, unlimited = false }) {
  let avahi;
  let restarted;
  const system = {
    name: unlimited ? 'avahi reflector, ratelimit off' : 'avahi reflector',
    ratelimit: undefined,
    pid: () => (restarted === undefined ? avahi.pid : childOf(restarted.pid)),
    async start() {
      avahi = await startAvahi(bed, host, {
        hostName: 'pp-bench-host',
        interfaces: [upstream, guest],
        reflector: true,
      });
      const file = path.join(avahi.configDir, 'avahi-daemon.conf');
      const config = readFileSync(file, 'utf8');
      system.ratelimit = ratelimitOf(config);
      if (!unlimited) return;
      await avahi.stop();
      writeFileSync(file, config.replace(/^ratelimit-interval-usec=.*$/m, 'ratelimit-interval-usec=0'));
      system.ratelimit = ratelimitOf(readFileSync(file, 'utf8'));
      restarted = await bed.spawn(host, avahi.process.argv, { ready: { stderr: AVAHI_READY } });
    },
    async stop() {
      if (restarted === undefined) return avahi.stop();
      process.kill(childOf(restarted.pid), 'SIGTERM'); // as the test bed does: the daemon first, bwrap follows
      await Promise.race([restarted.exited, sleep(2000)]);
      await restarted.stop();
    },
  };
  return system;
}

/** The only child of `pid` (avahi-daemon under bwrap). */
const childOf = (pid) =>
  Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0]);

module.exports = { ours, avahiReflector };
