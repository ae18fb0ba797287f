// The TCP relays the ADB relay benchmark compares, all on 127.0.0.1. Each system has a `name` and
// `start(targetPort)` → `{ port, pid, stop() }`: clients connect to `port`, the relay forwards every connection to
// 127.0.0.1:<targetPort>, `pid` is the process that relays (undefined for the direct row, which has none).

const { writeFileSync } = require('node:fs');
const { connect } = require('node:net');
const path = require('node:path');
const { freePorts, startProcess } = require('./local-processes');

const relayServer = path.join(__dirname, 'adb-relay-server.js');

/** No relay: the client connects to the target itself. */
const direct = {
  name: 'direct (no relay)',
  start: async (targetPort) => ({ port: targetPort, pid: undefined, stop: async () => {} }),
};

/** Ours: RelayServer of @patchpanel/adb-proxy with `relays[kind]`, alone in a Node process. */
const ours = (kind) => ({
  name: `ours, ${kind} relay`,
  ours: kind,
  async start(targetPort) {
    const [port] = await freePorts(1);
    const argv = [process.execPath, relayServer, kind, String(port), String(targetPort)];
    const proc = await startProcess(argv, { ready: { stdout: /^listening$/m } });
    return { port, pid: proc.pid, stop: proc.stop };
  },
});

/** socat, one forked copy per connection; `buffer` is its -b (undefined: socat's default, 8192 bytes). */
const socat = (socatPath, buffer) => ({
  name: buffer === undefined ? 'socat, default buffer' : `socat -b ${buffer}`,
  async start(targetPort) {
    const [port] = await freePorts(1);
    const argv = [
      socatPath,
      ...(buffer === undefined ? [] : ['-b', String(buffer)]),
      `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`,
      `TCP:127.0.0.1:${targetPort}`,
    ];
    const proc = await startProcess(argv, { ready: { listening: port } });
    return { port, pid: proc.pid, stop: proc.stop };
  },
});

const SPLICE_OPTIONS = {
  none: [],
  auto: ['option splice-auto'],
  forced: ['option splice-request', 'option splice-response'],
};
const HAPROXY_NAMES = {
  none: 'HAProxy, no splice',
  auto: 'HAProxy, option splice-auto',
  forced: 'HAProxy, splice-request/-response',
};

/**
 * The HAProxy configuration of one TCP relay: one thread, foreground (no `daemon`), a stats socket, and `splice`:
 * none, auto (`option splice-auto`: HAProxy decides per direction) or forced (`option splice-request` and
 * `option splice-response`: always).
 */
const haproxyConfig = ({ port, targetPort, splice, statsSocket }) =>
  [
    'global',
    '  nbthread 1',
    '  maxconn 4096',
    `  stats socket ${statsSocket} mode 600 level user`,
    'defaults',
    '  mode tcp',
    '  timeout connect 5s',
    '  timeout client 60s',
    '  timeout server 60s',
    'listen relay',
    `  bind 127.0.0.1:${port}`,
    ...SPLICE_OPTIONS[splice].map((option) => `  ${option}`),
    `  server target 127.0.0.1:${targetPort}`,
    '',
  ].join('\n');

/** `show info` on HAProxy's stats socket, as `{ Name: value }`. */
function showInfo(statsSocket) {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect({ path: statsSocket }, () => socket.end('show info\n'));
    socket.setEncoding('utf8').on('data', (chunk) => {
      text += chunk;
    });
    socket.once('error', reject).once('close', () => {
      const pairs = text.split('\n').map((line) => line.split(': '));
      resolve(Object.fromEntries(pairs.filter((pair) => pair.length === 2)));
    });
  });
}

/**
 * HAProxy in TCP mode, `-db` (foreground, never daemonizes), its config and stats socket in `dir`. Its instances
 * also have `pipes()` → the splice pipes it holds (PipesUsed + PipesFree of `show info`): 0 if it never spliced.
 */
const haproxy = (haproxyPath, dir, splice) => ({
  name: HAPROXY_NAMES[splice],
  haproxySplice: splice,
  async start(targetPort) {
    const [port] = await freePorts(1);
    const config = path.join(dir, `haproxy-${port}.cfg`);
    const statsSocket = path.join(dir, `haproxy-${port}.sock`);
    writeFileSync(config, haproxyConfig({ port, targetPort, splice, statsSocket }));
    const proc = await startProcess([haproxyPath, '-db', '-f', config], { ready: { listening: port } });
    const pipes = async () => {
      const info = await showInfo(statsSocket);
      return Number(info.PipesUsed) + Number(info.PipesFree);
    };
    return { port, pid: proc.pid, stop: proc.stop, pipes };
  },
});

module.exports = { direct, ours, socat, haproxy };
