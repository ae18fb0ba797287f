// SSDP responder: joins 239.255.255.250:1900 on one interface, prints {"from"} for every M-SEARCH and
// answers those for ssdp:all or its own ST with a unicast 200 OK from its port 1900 socket.
import { createSocket } from 'node:dgram';
import { parseArgs } from 'node:util';
import { formatEndpoint } from '../addressing';
import {
  answersSearch,
  buildSearchResponse,
  M_SEARCH_LINE,
  parseSsdpMessage,
  SSDP_GROUP,
  SSDP_PORT,
} from '../ssdp/message';
import { ipv4AddressOf } from './interfaces';
import { fail, printLine } from './output';

const { values } = parseArgs({
  options: {
    interface: { type: 'string', default: '' },
    location: { type: 'string', default: '' },
    st: { type: 'string', default: '' },
    usn: { type: 'string', default: '' },
  },
});
const st = values.st ?? '';
const via =
  ipv4AddressOf(values.interface ?? '') ?? fail('ssdp-responder', `no IPv4 address on ${values.interface}`);
const response = Buffer.from(
  buildSearchResponse({ location: values.location ?? '', st, usn: values.usn ?? '' }),
);

const socket = createSocket({ type: 'udp4', reuseAddr: true });
socket.on('error', (err) => fail('ssdp-responder', err.message));
socket.on('message', (bytes, from) => {
  const message = parseSsdpMessage(bytes.toString('utf8'));
  if (message?.startLine !== M_SEARCH_LINE) return;
  printLine({ from: formatEndpoint(from.address, from.port) });
  if (answersSearch(message.headers.ST, st)) socket.send(response, from.port, from.address);
});
socket.bind(SSDP_PORT, () => {
  socket.addMembership(SSDP_GROUP, via);
  socket.setMulticastInterface(via);
  printLine({ ready: true });
});
