import type { ConnectNamespaceRequest, PortRule } from '../api/patchpanel-api';
import { patchpanel, toAy } from './proto-codec';
import { trafficSourceToWire } from './traffic-source';
import type { PortRuleOperation } from './validate-port-rule';

/** What a client asks of ConnectNamespace; the lifeline travels beside the bytes as the `h` argument. */
export type ConnectNamespaceOptions = Pick<ConnectNamespaceRequest, 'pid'> &
  Partial<Omit<ConnectNamespaceRequest, 'pid' | 'lifelineFd'>>;

const { Operation, RuleType, Protocol } = patchpanel.ModifyPortRuleRequest;

export function encodeConnectNamespaceRequest(options: ConnectNamespaceOptions): Buffer {
  const message: patchpanel.ConnectNamespaceRequest.$Properties = {
    pid: options.pid,
    outboundPhysicalDevice: options.outboundPhysicalDevice ?? '',
    allowUserTraffic: options.allowUserTraffic ?? false,
    routeOnVpn: options.routeOnVpn ?? false,
    trafficSource: trafficSourceToWire(options.trafficSource ?? 'unknown'),
  };
  return toAy(patchpanel.ConnectNamespaceRequest.encode(message).finish());
}

export function encodeModifyPortRuleRequest(operation: PortRuleOperation, rule: PortRule): Buffer {
  const message: patchpanel.ModifyPortRuleRequest.$Properties = {
    op: operation === 'create' ? Operation.CREATE : Operation.DELETE,
    type: { access: RuleType.ACCESS, lockdown: RuleType.LOCKDOWN, forwarding: RuleType.FORWARDING }[
      rule.type
    ],
    proto: rule.protocol === 'tcp' ? Protocol.TCP : Protocol.UDP,
    inputDstPort: rule.port,
  };
  if (rule.type === 'access' && rule.inputIfname !== undefined) message.inputIfname = rule.inputIfname;
  if (rule.type === 'forwarding') {
    message.inputIfname = rule.inputIfname;
    message.inputDstIp = rule.inputDstIp ?? '';
    message.dstIp = rule.dstIp;
    message.dstPort = rule.dstPort;
  }
  return toAy(patchpanel.ModifyPortRuleRequest.encode(message).finish());
}

export function encodeGetDevicesRequest(): Buffer {
  return toAy(patchpanel.GetDevicesRequest.encode({}).finish());
}
