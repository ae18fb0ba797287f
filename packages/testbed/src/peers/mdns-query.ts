// mDNS query (legacy unicast, from an ephemeral port) on one interface; prints every answer as one JSON line.
import { createSocket, type Socket } from 'node:dgram';
import { parseArgs } from 'node:util';
import { DNS_TYPES, type DnsTypeName, decodeMessage, encodeQuery } from '../mdns/codec';
import { ipv4AddressOf } from './interfaces';

const { values } = parseArgs({
  options: {
    name: { type: 'string' },
    type: { type: 'string', default: 'A' },
    family: { type: 'string', default: '4' },
    interface: { type: 'string' },
    timeout: { type: 'string', default: '3000' },
    all: { type: 'boolean', default: false },
  },
});
const ifname = values.interface ?? '';
const type = DNS_TYPES[(values.type ?? 'A') as DnsTypeName];
const id = Math.floor(Math.random() * 0xffff);
const query = encodeQuery(id, [{ name: values.name ?? '', type, unicastResponse: false }]);
const responses: { from: string; message: ReturnType<typeof decodeMessage> }[] = [];

const finish = (error?: string): never => {
  process.stdout.write(`${JSON.stringify(error ? { ok: false, error } : { ok: true, responses })}\n`);
  if (error) process.stderr.write(`mdns-query: ${error}\n`);
  process.exit(error ? 1 : 0);
};
setTimeout(() => finish(responses.length > 0 ? undefined : 'no mDNS answer'), Number(values.timeout));

/** The socket, the interface to send from, and the group address for the chosen family. */
function open(): { socket: Socket; via: string; group: string } {
  if (values.family === '6')
    return { socket: createSocket('udp6'), via: `::%${ifname}`, group: `ff02::fb%${ifname}` };
  const address = ipv4AddressOf(ifname);
  if (address === undefined) return finish(`no IPv4 address on ${ifname}`);
  return { socket: createSocket('udp4'), via: address, group: '224.0.0.251' };
}

const { socket, via, group } = open();
socket.on('error', (err) => finish(err.message));
socket.on('message', (bytes, from) => {
  try {
    const message = decodeMessage(bytes);
    if (message.id !== id || message.answers.length === 0) return;
    responses.push({ from: from.address, message });
    if (!values.all) finish();
  } catch {
    // not a DNS message for us
  }
});
socket.bind(0, () => {
  socket.setMulticastInterface(via);
  const send = (): void => socket.send(query, 5353, group);
  send();
  setInterval(send, 1000);
});
