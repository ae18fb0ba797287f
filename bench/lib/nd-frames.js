// Neighbor Solicitations built byte by byte for load generation, a send-only packet socket for them, and a packet
// socket that counts the NS for one target address that an interface receives.

const { parseIpv6 } = require('@patchpanel/testbed');
const {
  ETH_P_IPV6,
  PacketType,
  assemble,
  neighborDiscoveryFilter,
  openPacketSocket,
  ret,
} = require('@patchpanel/netio');

const ETH = 14;
const IP6 = 40;
const ICMP = ETH + IP6;

const macBytes = (mac) => Buffer.from(mac.split(':').map((byte) => Number.parseInt(byte, 16)));

/** RFC 4443 §2.3: one's complement sum over the pseudo-header and the ICMPv6 message. */
function icmpv6Checksum(source, destination, message) {
  const pseudo = Buffer.alloc(40);
  pseudo.set(source, 0);
  pseudo.set(destination, 16);
  pseudo.writeUInt32BE(message.length, 32);
  pseudo.writeUInt32BE(58, 36);
  let sum = 0;
  for (const bytes of [pseudo, message]) {
    for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** A multicast NS for `target` from `source`/`sourceMac`, with a source link-layer address option. */
function solicitationFrame({ sourceMac, source, target }) {
  const targetBytes = parseIpv6(target);
  const destination = parseIpv6('ff02::1:ff00:0');
  destination.set(targetBytes.subarray(13), 13);
  const message = Buffer.alloc(32);
  message[0] = 135;
  message.set(targetBytes, 8);
  message[24] = 1; // source link-layer address, 1 unit of 8 bytes
  message[25] = 1;
  message.set(macBytes(sourceMac), 26);
  const sourceBytes = parseIpv6(source);
  message.writeUInt16BE(icmpv6Checksum(sourceBytes, destination, message), 2);
  const frame = Buffer.alloc(ICMP + message.length);
  frame.set([0x33, 0x33, ...destination.subarray(12)], 0);
  frame.set(macBytes(sourceMac), 6);
  frame.writeUInt16BE(ETH_P_IPV6, 12);
  frame.writeUInt32BE(0x60000000, ETH);
  frame.writeUInt16BE(message.length, ETH + 4);
  frame[ETH + 6] = 58;
  frame[ETH + 7] = 255;
  frame.set(sourceBytes, ETH + 8);
  frame.set(destination, ETH + 24);
  frame.set(message, ICMP);
  return frame;
}

/** Whether `frame` is an NS about `target` (16 bytes) with hop limit 255. */
const isSolicitationFor = (frame, target) =>
  frame.length >= ICMP + 24 &&
  frame[ETH + 6] === 58 &&
  frame[ETH + 7] === 255 &&
  frame[ICMP] === 135 &&
  frame.subarray(ICMP + 8, ICMP + 24).equals(target);

/** A packet socket on `ifname` in `netns` that sends frames and receives none (its filter rejects all). */
const frameSender = (netns, ifname) =>
  openPacketSocket({ protocol: ETH_P_IPV6, interface: ifname, netns, filter: assemble([ret(0)]) });

/** A packet socket on `ifname` in `netns`; `count()` is how many NS about `target` it has received so far. */
function solicitationCounter(netns, ifname, target) {
  const socket = openPacketSocket({
    protocol: ETH_P_IPV6,
    interface: ifname,
    netns,
    filter: neighborDiscoveryFilter('ethernet'),
  });
  const targetBytes = Buffer.from(parseIpv6(target));
  let seen = 0;
  socket.on('frame', ({ data, packetType }) => {
    if (packetType !== PacketType.Outgoing && isSolicitationFor(data, targetBytes)) seen += 1;
  });
  return {
    count: () => seen,
    close() {
      if (!socket.closed) socket.close();
    },
  };
}

module.exports = { solicitationFrame, frameSender, solicitationCounter };
