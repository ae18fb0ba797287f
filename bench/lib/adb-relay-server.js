#!/usr/bin/env node
// Our ADB relay as the ADB benchmark runs it: the package's RelayServer alone in a process of its own (its own
// event loop, as in production), relaying 127.0.0.1:<listen> to one TCP target. Prints "listening" once bound and
// its connection count at SIGTERM.
//   node bench/lib/adb-relay-server.js <splice|stream> <listen port> <target port>

const pino = require('pino');
const { RelayServer, relays } = require('@patchpanel/adb-proxy');

const [kind, listenPort, targetPort] = process.argv.slice(2);
if (!(kind in relays) || !(Number(listenPort) > 0) || !(Number(targetPort) > 0)) {
  process.stderr.write('usage: adb-relay-server.js <splice|stream> <listen port> <target port>\n');
  process.exit(2);
}

// 'warn': a relay that cannot start or a target that refuses is reported; the per-connection info lines are not.
const log = pino({ name: 'adb-relay-bench', level: 'warn' });

RelayServer.listen({
  listen: { host: '127.0.0.1', port: Number(listenPort) },
  targets: () => [{ kind: 'tcp', address: '127.0.0.1', port: Number(targetPort) }],
  connectTimeoutMs: 5_000,
  relay: relays[kind],
  maxConnections: undefined,
  log,
}).then(
  (server) => {
    process.stdout.write('listening\n');
    process.once('SIGTERM', () => {
      server.close();
      process.exit(0);
    });
  },
  (error) => {
    process.stderr.write(`cannot listen: ${error.message}\n`);
    process.exit(1);
  },
);
