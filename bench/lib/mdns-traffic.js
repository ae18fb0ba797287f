// mDNS traffic for the multicast benchmark, all of it in this process so that send and arrival times come from one
// clock: queries for names nobody answers, a sender bound to port 5353 in one namespace, and receivers joined to
// 224.0.0.251:5353 in others that hand each datagram over with its arrival time.

const { randomBytes } = require('node:crypto');
const { openUdpSocket } = require('@patchpanel/netio');
const { DNS_TYPES, decodeMessage, encodeQuery } = require('@patchpanel/testbed');

const MDNS_GROUP = '224.0.0.251';
const MDNS_PORT = 5353;
const HEADER = 12;
const RECEIVE_BUFFER = 4 << 20; // room for a few thousand datagrams while the generator holds this loop

/** `<tag><n>.local`: with a random tag per series, a name no one has asked or answered before. */
const newTag = (prefix) => `${prefix}${randomBytes(3).toString('hex')}-`;
const nameFor = (tag, n) => `${tag}${n}.local`;

/** A standard mDNS QUERY (id 0, QM) with one question: `name`, type A. */
const queryFor = (name) => Buffer.from(encodeQuery(0, [{ name, type: DNS_TYPES.A, unicastResponse: false }]));

/** The question names of an mDNS query, [] for anything else (responses, malformed datagrams). */
function questionNames(datagram) {
  try {
    const message = decodeMessage(datagram);
    return (message.flags & 0x8000) === 0 ? message.questions.map((q) => q.name) : [];
  } catch {
    return [];
  }
}

/**
 * The questions in `datagram` if it is a query whose first question's first label starts with `tag` (a Buffer),
 * else 0. Cheap enough for every datagram at tens of thousands per second; the other questions of a datagram
 * that starts with one of ours are ours too (a forwarder only packs what it was asked).
 */
function taggedQuestions(datagram, tag) {
  if (datagram.length < HEADER + 1 + tag.length || (datagram[2] & 0x80) !== 0) return 0;
  if (datagram[HEADER] < tag.length) return 0;
  return datagram.subarray(HEADER + 1, HEADER + 1 + tag.length).equals(tag) ? datagram.readUInt16BE(4) : 0;
}

/** A socket in `netns` on `device` from port 5353: `send(payload)` to the group, TTL 255; `failed` sends so far. */
function openSender(netns, device) {
  const udp = openUdpSocket({
    family: 4,
    netns: { name: netns.name },
    device,
    port: MDNS_PORT,
    multicastTtl: 255,
  });
  const sender = {
    failed: 0,
    send(payload) {
      udp.socket.send(payload, MDNS_PORT, MDNS_GROUP, (error) => {
        if (error) sender.failed += 1;
      });
    },
    close: () => udp.close(),
  };
  return sender;
}

/**
 * A socket in `netns` joined to the group on `device`, with a receive buffer of RECEIVE_BUFFER (less where the
 * namespace's net.core.rmem_max is lower): `listen((datagram, arrivedAt) => …)`, one listener at a time.
 */
function openReceiver(netns, device) {
  const udp = openUdpSocket({
    family: 4,
    netns: { name: netns.name },
    device,
    port: MDNS_PORT,
    address: MDNS_GROUP,
    memberships: [{ group: MDNS_GROUP, interface: device }],
  });
  udp.socket.setRecvBufferSize(RECEIVE_BUFFER);
  let listener = () => {};
  udp.socket.on('message', (datagram) => listener(datagram, process.hrtime.bigint()));
  return {
    listen(next) {
      listener = next;
    },
    close: () => udp.close(),
  };
}

module.exports = { newTag, nameFor, queryFor, questionNames, taggedQuestions, openSender, openReceiver };
