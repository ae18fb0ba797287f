#!/usr/bin/env node
// `npm run demo`: patchpaneld on a virtual host built from network namespaces (see demo/README.md).
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { createTestbed, createVirtualHost } = require('@patchpanel/testbed');
const { namespacesOf, ppRuleCounts } = require('./inventory');
const { POLICY, startProduct } = require('./product');
const { say, showInventory, showIpv6, showTraffic } = require('./show');

const FORWARD = { port: 8080, serverPort: 8000 };
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first SIGINT/SIGTERM asks for a clean stop; a second one exits at once (the test bed still cleans up). */
function stopRequests() {
  let request;
  const requested = new Promise((resolve) => {
    request = resolve;
  });
  let signals = 0;
  const onSignal = (signal) => (++signals === 1 ? request(signal) : process.exit(130));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return (seconds) =>
    seconds === undefined
      ? requested
      : Promise.race([requested, delay(seconds * 1000).then(() => `${seconds} s`)]);
}

/** Connects a container through the CLI, starts the server in it and forwards the host's port to it. */
async function connectGuest(bed, product) {
  const guest = await bed.container('guest');
  const link = await product.connectNamespace(guest.pid);
  const c = link.connection;
  const ends = `${c.hostIfname} ${c.hostIpv4} <-> ${c.peerIfname} ${c.peerIpv4}/${c.subnet.prefixLength}`;
  say('connect', `$ patchpanel ${link.args.join(' ')}  ->  ${ends} in ${guest.name}`);
  const server = [process.execPath, path.join(__dirname, 'greeter.js'), String(FORWARD.serverPort)];
  await bed.spawn(guest.netns, server, { ready: { stdout: /listening/ } });
  const rule = ['create', '--type', 'forwarding', '--proto', 'tcp', '--port', String(FORWARD.port)];
  rule.push('--ifname', 'eth0', '--dst-ip', c.peerIpv4, '--dst-port', String(FORWARD.serverPort));
  say(
    'forward',
    `$ patchpanel port-rule ${rule.join(' ')}  ->  success ${(await product.portRule(rule)).success}`,
  );
  return { guest, link };
}

/** SIGINT to the CLI holding the lifeline; the daemon then removes the link and the netns name. */
async function release(bed, vh, link) {
  const started = Date.now();
  process.kill(link.holder.pid, 'SIGINT');
  const { code } = await link.holder.exited;
  const { hostIfname } = link.connection;
  const remains = async () =>
    namespacesOf(`${bed.prefix}-cns`).length > 0 ||
    (await vh.host.exec(['ip', '-o', 'link'])).stdout.includes(`${hostIfname}@`);
  while ((await remains()) && Date.now() - started < 5000) await delay(10);
  const outcome = (await remains())
    ? 'still there'
    : `removed by the daemon ${Date.now() - started} ms after SIGINT`;
  say('release', `connect-ns exited ${code}: ${hostIfname} and its netns name ${outcome}`);
}

/** The daemon first (SIGTERM: it removes its own state), then everything the test bed made. */
async function shutdown(bed, vh, product, link) {
  try {
    if (link?.holder.running) await release(bed, vh, link);
    if (product?.daemon.running) {
      const exit = await product.daemon.stop({ graceMs: 5000 });
      const { nft, ipv4, ipv6 } = await ppRuleCounts(vh.host);
      say(
        'daemon',
        `SIGTERM: exited ${exit.code ?? exit.signal}; pp_ lines left: ${nft} nftables, ${ipv4} ipv4, ${ipv6} ipv6`,
      );
    }
  } finally {
    await bed.teardown();
    const left = namespacesOf(bed.prefix);
    say(
      'removed',
      `test bed ${bed.prefix}: ${left.length === 0 ? 'no namespace of this run is left' : left}`,
    );
  }
}

async function demo(seconds) {
  const stopped = stopRequests();
  const started = Date.now();
  const bed = await createTestbed({ label: 'patchpanel demo', handleSignals: false });
  // After a second Ctrl-C the bed kills the daemon: drop the names it gave the connected namespaces.
  process.on('exit', () => {
    for (const name of namespacesOf(`${bed.prefix}-cns`)) execFileSync('ip', ['netns', 'delete', name]);
  });
  let vh;
  let product;
  let link;
  try {
    vh = await createVirtualHost(bed, { echo: true, radvd: true });
    say(
      'bed',
      `${bed.prefix}: ${vh.lan.name} ${vh.lanIpv4} ${vh.lanIpv6} (echo peer, radvd ${vh.ipv6Prefix}) <-> eth0 ${vh.hostIpv4} of ${vh.host.name}`,
    );
    product = await startProduct(bed, vh);
    const bus = product.bus.address.replace(/,guid=.*/, '');
    say('daemon', `ready in ${vh.host.name}; bus ${bus} with ${path.relative(process.cwd(), POLICY)}`);
    const connected = await connectGuest(bed, product);
    link = connected.link;
    const context = { bed, vh, product, guest: connected.guest, holder: link.holder };
    const traffic = await showTraffic({ ...context, connection: link.connection, forward: FORWARD });
    const ipv6 = await showIpv6({ ...context, connection: link.connection });
    const ok = traffic && ipv6;
    await showInventory(context);
    const until = seconds === undefined ? 'Ctrl-C removes everything' : `removing everything in ${seconds} s`;
    say('ready', `after ${((Date.now() - started) / 1000).toFixed(1)} s; ${until}`);
    say('stop', `after ${await stopped(seconds)}`);
    return ok;
  } finally {
    await shutdown(bed, vh, product, link);
  }
}

const { values } = parseArgs({ options: { for: { type: 'string' } } });
const seconds = values.for === undefined ? undefined : Number(values.for);
if (seconds !== undefined && !(seconds > 0)) {
  process.stderr.write('usage: node demo/run.js [--for SECONDS]\n');
  process.exit(2);
}
demo(seconds).then(
  (ok) => process.exit(ok ? 0 : 1),
  (err) => {
    process.stderr.write(`demo failed: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
