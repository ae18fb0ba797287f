import type { NdProxyReport } from '@patchpanel/ipc';
import { formatIp, parseIp } from '../../addressing/ip-text';
import { Ipv6ReportError } from './errors';

/** A report the manager accepted, with its address in canonical text. */
export interface CheckedReport {
  readonly type: NdProxyReport['type'];
  readonly address: string;
}

function isGlobalOrUniqueLocal(bytes: Uint8Array): boolean {
  return (bytes[0]! & 0xe0) === 0x20 || (bytes[0]! & 0xfe) === 0xfc;
}

/** The modified EUI-64 interface identifier of a MAC: ff:fe in the middle, the U/L bit flipped. */
function eui64InterfaceId(mac: Uint8Array): Uint8Array {
  return Uint8Array.of(mac[0]! ^ 0x02, mac[1]!, mac[2]!, 0xff, 0xfe, mac[3]!, mac[4]!, mac[5]!);
}

/**
 * The helper is sandboxed and less trusted than the manager, so a report is checked before the kernel sees
 * it: the address must be a plain global unicast or ULA address, and an address for the guest-facing
 * interface itself must be the EUI-64 address of that interface's MAC (the only kind the proxy derives).
 */
export function checkReport(report: NdProxyReport, guestMac: Uint8Array | undefined): CheckedReport {
  let bytes: Uint8Array;
  try {
    bytes = parseIp(report.address);
  } catch (cause) {
    throw new Ipv6ReportError(`${report.type} ${JSON.stringify(report.address)}: not an address`, { cause });
  }
  if (bytes.length !== 16 || !isGlobalOrUniqueLocal(bytes)) {
    throw new Ipv6ReportError(`${report.type} ${report.address}: not a global or unique local IPv6 address`);
  }
  if (report.type !== 'route') {
    const expected = guestMac === undefined ? undefined : eui64InterfaceId(guestMac);
    if (expected === undefined || !bytes.subarray(8).every((byte, i) => byte === expected[i])) {
      throw new Ipv6ReportError(
        `${report.type} ${report.address}: not the EUI-64 address of ${report.ifname}`,
      );
    }
  }
  return { type: report.type, address: formatIp(bytes) };
}
