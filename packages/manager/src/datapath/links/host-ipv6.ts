import { rt } from 'netlink';
import { parseIp } from '../../addressing/ip-text';
import { PATCHPANEL_PROTOCOL } from '../../devices/routing/desired-routing';
import { NetlinkRequestError } from './errors';
import { linkIndex } from './link-lookup';
import { NLM_F_CREATE, NLM_F_EXCL, type Rtnetlink } from './rtnetlink';

const AF_INET6 = 10;
const NLM_F_REPLACE = 0x100;
const RT_TABLE_MAIN = 254;

/** ENODEV, ESRCH and EADDRNOTAVAIL: the link, route or address is already gone. */
function ignoringGone(run: () => void): void {
  try {
    run();
  } catch (err) {
    const gone = ['ENODEV', 'ESRCH', 'EADDRNOTAVAIL'];
    if (!(err instanceof NetlinkRequestError && gone.includes(err.errno))) throw err;
  }
}

function hostRoute(nl: Rtnetlink, address: string, ifname: string): rt.Message {
  const data: rt.Route = {
    family: AF_INET6,
    dstLen: 128,
    table: RT_TABLE_MAIN,
    // A protocol number of our own, beyond the enum of names: the routes are recognisably the daemon's.
    protocol: PATCHPANEL_PROTOCOL as number,
    scope: 'UNIVERSE',
    type: 'UNICAST',
  };
  return { kind: 'route', data, attrs: { dst: parseIp(address), oif: linkIndex(nl, ifname) } };
}

/** `ip -6 route replace <address>/128 dev <ifname>`, tagged with the daemon's routing protocol. */
export function replaceHostRoute6(nl: Rtnetlink, address: string, ifname: string): void {
  nl.request(rt.MessageType.NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, hostRoute(nl, address, ifname));
}

/** Removes that route; already gone (or its link gone) is success. */
export function deleteHostRoute6(nl: Rtnetlink, address: string, ifname: string): void {
  ignoringGone(() => nl.request(rt.MessageType.DELROUTE, 0, hostRoute(nl, address, ifname)));
}

function hostAddress(nl: Rtnetlink, ifname: string, address: string): rt.Message {
  const bytes = parseIp(address);
  return {
    kind: 'address',
    data: { family: AF_INET6, prefixlen: 128, index: linkIndex(nl, ifname) },
    attrs: { local: bytes, address: bytes, flags: { nodad: true } },
  };
}

/** `ip -6 addr add <address>/128 dev <ifname> nodad`; present already is success. */
export function addHostAddress6(nl: Rtnetlink, ifname: string, address: string): void {
  try {
    nl.request(rt.MessageType.NEWADDR, NLM_F_CREATE | NLM_F_EXCL, hostAddress(nl, ifname, address));
  } catch (err) {
    if (!(err instanceof NetlinkRequestError && err.errno === 'EEXIST')) throw err;
  }
}

/** Removes that address; already gone (or its link gone) is success. */
export function deleteHostAddress6(nl: Rtnetlink, ifname: string, address: string): void {
  ignoringGone(() => nl.request(rt.MessageType.DELADDR, 0, hostAddress(nl, ifname, address)));
}

/** Sets or clears IFF_ALLMULTI. */
export function setAllMulticast(nl: Rtnetlink, ifname: string, on: boolean): void {
  nl.request(rt.MessageType.NEWLINK, 0, {
    kind: 'link',
    data: { index: linkIndex(nl, ifname), flags: { allmulti: on || undefined }, change: { allmulti: true } },
    attrs: {},
  });
}
