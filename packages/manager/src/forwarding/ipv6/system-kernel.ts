import { readFileSync, writeFileSync } from 'node:fs';
import { isInterfaceName } from '@patchpanel/netio';
import { NetlinkRequestError } from '../../datapath/links/errors';
import {
  addHostAddress6,
  deleteHostAddress6,
  deleteHostRoute6,
  replaceHostRoute6,
  setAllMulticast,
} from '../../datapath/links/host-ipv6';
import { linkState } from '../../datapath/links/link-lookup';
import type { Rtnetlink } from '../../datapath/links/rtnetlink';
import type { LinkSetting } from './shared-link-settings';

/** The kernel operations of the guest IPv6 service, in the daemon's namespace. */
export interface GuestIpv6Kernel {
  /** The MAC of a link, undefined when it has none or is gone. */
  linkMac(ifname: string): Uint8Array | undefined;
  replaceHostRoute(address: string, ifname: string): void;
  deleteHostRoute(address: string, ifname: string): void;
  addAddress(ifname: string, address: string): void;
  deleteAddress(ifname: string, address: string): void;
  readonly allMulticast: LinkSetting;
  /** accept_ra=2: a forwarding host still learns its own prefix and routes from RAs on the upstream. */
  readonly acceptRaWhileForwarding: LinkSetting;
}

function unlessGone(run: () => void): void {
  try {
    run();
  } catch (err) {
    if (!(err instanceof NetlinkRequestError && err.errno === 'ENODEV')) throw err;
  }
}

function acceptRaPath(procSys: string, ifname: string): string {
  // Interface names reach /proc/sys paths only after this check.
  if (!isInterfaceName(ifname)) {
    throw new RangeError(`not an interface name: ${JSON.stringify(ifname)}`);
  }
  return `${procSys}/net/ipv6/conf/${ifname}/accept_ra`;
}

export function systemGuestIpv6Kernel(nl: Rtnetlink, procSys = '/proc/sys'): GuestIpv6Kernel {
  return {
    linkMac: (ifname) => {
      try {
        return linkState(nl, ifname).mac;
      } catch {
        return undefined;
      }
    },
    replaceHostRoute: (address, ifname) => replaceHostRoute6(nl, address, ifname),
    deleteHostRoute: (address, ifname) => unlessGone(() => deleteHostRoute6(nl, address, ifname)),
    addAddress: (ifname, address) => addHostAddress6(nl, ifname, address),
    deleteAddress: (ifname, address) => unlessGone(() => deleteHostAddress6(nl, ifname, address)),
    allMulticast: {
      apply: (ifname) => {
        if (linkState(nl, ifname).allMulticast) return undefined;
        setAllMulticast(nl, ifname, true);
        return () => unlessGone(() => setAllMulticast(nl, ifname, false));
      },
    },
    acceptRaWhileForwarding: {
      apply: (ifname) => {
        const path = acceptRaPath(procSys, ifname);
        const before = readFileSync(path, 'utf8').trim();
        if (before === '2') return undefined;
        writeFileSync(path, '2');
        return () => {
          try {
            writeFileSync(path, before);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          }
        };
      },
    },
  };
}
