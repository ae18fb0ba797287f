// The demo's server inside the connected namespace: answers each TCP connection with one JSON line saying
// where it runs, whom it saw and what it got, so the lan side can show the forward reached it.
const net = require('node:net');

const port = Number(process.argv[2]);
net
  .createServer((socket) => {
    let got = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      got += chunk;
    });
    socket.on('end', () => {
      const server = `${socket.localAddress}:${socket.localPort}`;
      socket.end(JSON.stringify({ server, client: `${socket.remoteAddress}:${socket.remotePort}`, got }));
    });
    socket.on('error', () => {});
  })
  .listen(port, '0.0.0.0', () => process.stdout.write(`listening on ${port}\n`));
