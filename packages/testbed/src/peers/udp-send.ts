// UDP sender: `count` datagrams to one address (unicast, broadcast or a group), from the given interface's
// address when one is named (that also picks the way out for 255.255.255.255 and for groups).
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { parseArgs } from 'node:util';
import { ipv4AddressOf, multicastInterface } from './interfaces';
import { fail, printLine } from './output';

const { values } = parseArgs({
  options: {
    to: { type: 'string', default: '' },
    port: { type: 'string', default: '0' },
    payload: { type: 'string', default: '' },
    'source-port': { type: 'string', default: '0' },
    broadcast: { type: 'boolean', default: false },
    interface: { type: 'string' },
    count: { type: 'string', default: '1' },
    interval: { type: 'string', default: '100' },
  },
});
const to = values.to ?? '';
const ifname = values.interface;
const family = isIPv6(to.split('%')[0] ?? '') ? 6 : 4;
const noAddress = (): never => fail('udp-send', `no IPv4 address on ${ifname}`);
const bindAddress =
  family === 6 ? '::' : ifname === undefined ? '0.0.0.0' : (ipv4AddressOf(ifname) ?? noAddress());
const count = Number(values.count);

const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4', reuseAddr: true });
socket.on('error', (err) => fail('udp-send', err.message));

function send(sent: number): void {
  socket.send(values.payload ?? '', Number(values.port), to, (err) => {
    if (err) fail('udp-send', err.message);
    if (sent + 1 < count) setTimeout(() => send(sent + 1), Number(values.interval));
    else {
      printLine({ ok: true, sent: count, sourcePort: socket.address().port });
      process.exit(0);
    }
  });
}

socket.bind(Number(values['source-port']), bindAddress, () => {
  socket.setBroadcast(values.broadcast ?? false);
  if (ifname !== undefined) socket.setMulticastInterface(multicastInterface(ifname, family) ?? noAddress());
  send(0);
});
