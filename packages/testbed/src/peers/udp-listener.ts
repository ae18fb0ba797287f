// UDP listener: binds a port (0.0.0.0 by default, so broadcasts arrive too), optionally joins a group on one
// interface, and prints {"from","payload"} for every datagram.
import { createSocket } from 'node:dgram';
import { parseArgs } from 'node:util';
import { formatEndpoint } from '../addressing';
import { multicastInterface } from './interfaces';
import { fail, printLine } from './output';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    address: { type: 'string' },
    family: { type: 'string', default: '4' },
    group: { type: 'string' },
    'group-interface': { type: 'string', default: '' },
  },
});
const family = values.family === '6' ? 6 : 4;

const socket = createSocket({
  type: family === 6 ? 'udp6' : 'udp4',
  reuseAddr: true,
  ipv6Only: family === 6,
});
socket.on('error', (err) => fail('udp-listener', err.message));
socket.on('message', (bytes, from) => {
  printLine({ from: formatEndpoint(from.address, from.port), payload: bytes.toString('utf8') });
});
socket.bind(Number(values.port), values.address ?? (family === 6 ? '::' : '0.0.0.0'), () => {
  if (values.group !== undefined) {
    const ifname = values['group-interface'] ?? '';
    const via = multicastInterface(ifname, family) ?? fail('udp-listener', `no IPv4 address on ${ifname}`);
    socket.addMembership(values.group, via);
  }
  printLine({ ready: true });
});
