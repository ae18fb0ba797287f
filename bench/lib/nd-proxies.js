// The ND proxies the ndproxy benchmark compares, all answering on the host's `upstream` for a guest behind
// `guest`. Each has a `name`, `start()` and `stop()` → a line about what it counted itself, or undefined.

const { writeFileSync } = require('node:fs');
const path = require('node:path');
const { standaloneDaemon } = require('./standalone-daemon');

const NDPPD = '/usr/sbin/ndppd';
const ndproxyd = path.resolve(__dirname, '../../packages/ndproxy-helper/dist/ndproxyd.js');

/** Ours: the standalone ndproxyd; its counters come from its "stopped" line. */
function ours(bed, host, { upstream, guest }) {
  const describe = (stats) => `its counters: ${JSON.stringify(stats)}`;
  return standaloneDaemon(bed, host, {
    name: 'ndproxyd (ours)',
    script: ndproxyd,
    upstream,
    guest,
    describe,
  });
}

/**
 * ndppd in the foreground (no -d) with a config in the run's directory: NS on `upstream` for `prefix` are
 * forwarded to `guest`, answered once the guest's NA comes back, then answered from its session cache for `ttl` ms.
 */
function ndppd(bed, host, { upstream, guest, prefix, ttl }) {
  const config = path.join(bed.runDir, `ndppd-ttl${ttl}.conf`);
  let daemon;
  return {
    name: `ndppd (ttl ${ttl} ms)`,
    async start() {
      writeFileSync(
        config,
        `proxy ${upstream} {\n  ttl ${ttl}\n  rule ${prefix} {\n    iface ${guest}\n  }\n}\n`,
      );
      daemon = await bed.spawn(host, [NDPPD, '-c', config], {
        ready: { stdout: /Using configuration file/ },
      });
      await new Promise((resolve) => setTimeout(resolve, 200)); // it opens its sockets after that line
    },
    async stop() {
      await daemon.stop();
    },
  };
}

/** The kernel's own proxy: proxy_ndp on `upstream` and a proxy entry for the guest's address. */
function kernelProxyNdp(host, { upstream, address }) {
  const neigh = (verb) => host.exec(['ip', '-6', 'neigh', verb, 'proxy', address, 'dev', upstream]);
  return {
    name: 'kernel proxy_ndp',
    async start() {
      await host.sysctl({ [`net.ipv6.conf.${upstream}.proxy_ndp`]: 1 });
      await neigh('add');
    },
    async stop() {
      await neigh('del');
      await host.sysctl({ [`net.ipv6.conf.${upstream}.proxy_ndp`]: 0 });
    },
  };
}

module.exports = { ours, ndppd, kernelProxyNdp, NDPPD };
