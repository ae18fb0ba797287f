import { isIpv4 } from '../addressing/ipv4';
import type { PortProtocol, PortRule, PortRuleType } from '../api/patchpanel-api';
import { InvalidRequestError } from './errors';
import { isValidInterfaceName } from './interface-names';
import { decodeRequest, patchpanel } from './proto-codec';

const { Operation, RuleType, Protocol } = patchpanel.ModifyPortRuleRequest;

export type PortRuleOperation = 'create' | 'delete';

export interface PortRuleChange {
  readonly operation: PortRuleOperation;
  readonly rule: PortRule;
}

const operations: ReadonlyMap<number, PortRuleOperation> = new Map([
  [Operation.CREATE, 'create'],
  [Operation.DELETE, 'delete'],
]);
const ruleTypes: ReadonlyMap<number, PortRuleType> = new Map([
  [RuleType.ACCESS, 'access'],
  [RuleType.LOCKDOWN, 'lockdown'],
  [RuleType.FORWARDING, 'forwarding'],
]);
const protocols: ReadonlyMap<number, PortProtocol> = new Map([
  [Protocol.TCP, 'tcp'],
  [Protocol.UDP, 'udp'],
]);

/**
 * Decodes and validates ModifyPortRule (spec §8.1, ports as 1..65535 without the original's 16-bit wrap).
 * Every string is checked even where the type ignores it (LOCKDOWN's interface), so nothing hostile gets past
 * the edge. Throws UndecodableRequestError or InvalidRequestError.
 */
export function parseModifyPortRuleRequest(bytes: Uint8Array): PortRuleChange {
  const message = decodeRequest(patchpanel.ModifyPortRuleRequest, bytes);
  const operation = known(operations, message.op, 'op');
  const type = known(ruleTypes, message.type, 'type');
  const protocol = known(protocols, message.proto, 'proto');
  const port = portNumber(message.inputDstPort, 'input_dst_port');
  const ifname = message.inputIfname;
  if (!isValidInterfaceName(ifname)) {
    throw new InvalidRequestError('input_ifname', `${JSON.stringify(ifname)} is not an interface name`);
  }
  switch (type) {
    case 'access':
      return { operation, rule: { type, protocol, port, inputIfname: ifname === '' ? undefined : ifname } };
    case 'lockdown':
      return { operation, rule: { type, protocol, port } };
    case 'forwarding': {
      if (ifname === '') throw new InvalidRequestError('input_ifname', 'FORWARDING needs an input interface');
      const inputDstIp = message.inputDstIp;
      if (inputDstIp !== '') ipv4(inputDstIp, 'input_dst_ip');
      const rule: PortRule = {
        type,
        protocol,
        inputIfname: ifname,
        inputDstIp: inputDstIp === '' ? undefined : inputDstIp,
        port,
        dstIp: ipv4(message.dstIp, 'dst_ip'),
        dstPort: portNumber(message.dstPort, 'dst_port'),
      };
      return { operation, rule };
    }
  }
}

function known<T>(values: ReadonlyMap<number, T>, value: number, field: string): T {
  const found = values.get(value);
  if (found === undefined) throw new InvalidRequestError(field, `invalid or unknown value ${value}`);
  return found;
}

function portNumber(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new InvalidRequestError(field, `${value} is not a port (1..65535)`);
  }
  return value;
}

function ipv4(text: string, field: string): string {
  if (!isIpv4(text)) throw new InvalidRequestError(field, `${JSON.stringify(text)} is not an IPv4 address`);
  return text;
}
