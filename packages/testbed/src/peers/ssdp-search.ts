// SSDP search: one M-SEARCH out of one interface from its IPv4 address, then every unicast 200 OK that
// comes back until the timeout, printed as one JSON line.
import { createSocket } from 'node:dgram';
import { parseArgs } from 'node:util';
import { formatEndpoint } from '../addressing';
import { buildMSearch, parseSsdpMessage, RESPONSE_OK_LINE, SSDP_GROUP, SSDP_PORT } from '../ssdp/message';
import { ipv4AddressOf } from './interfaces';
import { fail, printLine } from './output';

const { values } = parseArgs({
  options: {
    interface: { type: 'string', default: '' },
    st: { type: 'string', default: '' },
    mx: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '3000' },
    'source-port': { type: 'string', default: '0' },
  },
});
const via =
  ipv4AddressOf(values.interface ?? '') ?? fail('ssdp-search', `no IPv4 address on ${values.interface}`);
const search = Buffer.from(buildMSearch({ st: values.st ?? '', mx: Number(values.mx) }));
const responses: { from: string; headers: Readonly<Record<string, string>> }[] = [];

const socket = createSocket({ type: 'udp4', reuseAddr: true });
socket.on('error', (err) => fail('ssdp-search', err.message));
socket.on('message', (bytes, from) => {
  const message = parseSsdpMessage(bytes.toString('utf8'));
  if (message?.startLine === RESPONSE_OK_LINE) {
    responses.push({ from: formatEndpoint(from.address, from.port), headers: message.headers });
  }
});
socket.bind(Number(values['source-port']), via, () => {
  socket.setMulticastInterface(via);
  socket.setMulticastTTL(2); // UDA 1.1 §1.1.2: TTL 2 by default
  socket.send(search, SSDP_PORT, SSDP_GROUP, (err) => {
    if (err) fail('ssdp-search', err.message);
  });
  setTimeout(() => {
    printLine({ ok: true, responses });
    process.exit(0);
  }, Number(values.timeout));
});
