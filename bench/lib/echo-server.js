#!/usr/bin/env node
// A TCP echo server on 127.0.0.1:<port> for the ADB relay benchmark, in a process of its own: every byte comes
// back (with backpressure), and the client's FIN is answered with ours once all of it is sent.
//   node bench/lib/echo-server.js <port>

const { createServer } = require('node:net');

const port = Number(process.argv[2]);
const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
  socket.on('error', () => socket.destroy());
  socket.pipe(socket);
});
server.listen({ host: '127.0.0.1', port, backlog: 1024 }, () => process.stdout.write('listening\n'));
process.once('SIGTERM', () => process.exit(0));
