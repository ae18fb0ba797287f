// Echo peer: one process answering TCP and UDP on the same port, dual-stack. Prints one JSON line when ready.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { port: { type: 'string' }, host: { type: 'string', default: '::' } },
});
const port = Number(values.port);
const host = values.host ?? '::';

const fail = (err: Error): never => {
  process.stderr.write(`echo-server: ${err.message}\n`);
  process.exit(1);
};

let pending = 2;
const listening = (): void => {
  if (--pending === 0) process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
};

// Whatever a client sends comes back; the client's FIN ends our side once everything was written back.
const tcp = createServer((socket) => {
  socket.on('error', () => socket.destroy());
  socket.pipe(socket);
});
tcp.on('error', fail);
tcp.listen({ port, host }, listening);

const udp = createSocket({ type: 'udp6', ipv6Only: false });
udp.on('error', fail);
udp.on('message', (message, from) => udp.send(message, from.port, from.address));
udp.bind(port, host, listening);

process.on('SIGTERM', () => {
  tcp.close();
  udp.close();
  process.exit(0);
});
