// Echo client: sends a payload over TCP or UDP, waits for it to come back, prints one JSON line.
import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    protocol: { type: 'string', default: 'tcp' },
    host: { type: 'string' },
    port: { type: 'string' },
    payload: { type: 'string', default: 'patchpanel' },
    timeout: { type: 'string', default: '5000' },
  },
});
const host = values.host ?? '';
const port = Number(values.port);
const payload = values.payload ?? '';
const started = process.hrtime.bigint();

const finish = (result: { ok: true; reply: string } | { ok: false; error: string }): never => {
  const rttMs = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${JSON.stringify({ ...result, rttMs })}\n`);
  if (!result.ok) process.stderr.write(`echo-client: ${result.error}\n`);
  process.exit(result.ok ? 0 : 1);
};
setTimeout(() => finish({ ok: false, error: `no echo within ${values.timeout} ms` }), Number(values.timeout));

if (values.protocol === 'udp') {
  const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  socket.on('error', (err) => finish({ ok: false, error: err.message }));
  socket.on('message', (message) => {
    if (message.toString() === payload) finish({ ok: true, reply: message.toString() });
  });
  const send = (): void => socket.send(payload, port, host);
  send();
  setInterval(send, 300); // UDP may lose the first datagram while neighbours resolve
} else {
  const chunks: Buffer[] = [];
  const socket = connect({ host, port }, () => socket.end(payload));
  socket.on('data', (chunk) => chunks.push(chunk));
  socket.on('error', (err) => finish({ ok: false, error: err.message }));
  socket.on('end', () => finish({ ok: true, reply: Buffer.concat(chunks).toString() }));
}
