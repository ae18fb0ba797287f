// NDProxyMessage meaning, in one place: the helper writes reports with ndProxyEnvelope, the manager reads them.
import { InvalidMessageError } from './errors';
import { type Envelope, type MessageFields, NDProxyEventType } from './messages';

/** What the ND proxy learnt about a guest-facing interface, as text the manager still has to validate. */
export interface NdProxyReport {
  /** `route`: route address/128 to ifname. `add-address` / `del-address`: put it on or take it off ifname. */
  readonly type: 'route' | 'add-address' | 'del-address';
  readonly ifname: string;
  readonly address: string;
}

const wireTypes: Record<NdProxyReport['type'], NDProxyEventType> = {
  route: NDProxyEventType.ADD_ROUTE,
  'add-address': NDProxyEventType.ADD_ADDR,
  'del-address': NDProxyEventType.DEL_ADDR,
};

export function ndProxyEnvelope(report: NdProxyReport): Envelope {
  return {
    ndproxyMessage: { type: wireTypes[report.type], ifname: report.ifname, ip6addr: report.address },
  };
}

/** Inverse of ndProxyEnvelope. Throws InvalidMessageError for UNKNOWN or an unknown type, or no address. */
export function readNdProxyMessage(message: MessageFields['ndproxyMessage']): NdProxyReport {
  const type = (Object.keys(wireTypes) as NdProxyReport['type'][]).find((t) => wireTypes[t] === message.type);
  if (type === undefined) throw new InvalidMessageError(`NDProxyMessage of type ${message.type}`);
  if (message.ip6addr == null || message.ip6addr === '') {
    throw new InvalidMessageError(`NDProxyMessage ${type} without an address`);
  }
  return { type, ifname: message.ifname, address: message.ip6addr };
}
