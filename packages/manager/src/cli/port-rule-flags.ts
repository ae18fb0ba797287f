import type { PortProtocol, PortRule, PortRuleType } from '../api/patchpanel-api';
import { CliUsageError } from './errors';

/** The flags of `patchpanel port-rule`, each already parsed on its own. */
export interface PortRuleFlags {
  readonly type: PortRuleType;
  readonly proto: PortProtocol;
  readonly port: number;
  readonly ifname?: string;
  readonly dstIp?: string;
  readonly dstPort?: number;
  readonly inputDstIp?: string;
}

const flagNames: Readonly<Record<keyof PortRuleFlags, string>> = {
  type: '--type',
  proto: '--proto',
  port: '--port',
  ifname: '--ifname',
  dstIp: '--dst-ip',
  dstPort: '--dst-port',
  inputDstIp: '--input-dst-ip',
};

/** What each rule type takes beyond --type, --proto and --port (spec §8.1). */
const accepted: Readonly<Record<PortRuleType, readonly (keyof PortRuleFlags)[]>> = {
  access: ['ifname'],
  lockdown: [],
  forwarding: ['ifname', 'dstIp', 'dstPort', 'inputDstIp'],
};

/**
 * The rule the flags describe. A flag the type does not use is an error rather than silently dropped (the
 * daemon would ignore it, and the person would believe it applied); FORWARDING needs its interface and target.
 */
export function portRuleFromFlags(flags: PortRuleFlags): PortRule {
  const { type, proto: protocol, port } = flags;
  const extra = (['ifname', 'dstIp', 'dstPort', 'inputDstIp'] as const).filter(
    (key) => flags[key] !== undefined && !accepted[type].includes(key),
  );
  if (extra.length > 0) {
    throw new CliUsageError(`a ${type} rule does not take ${extra.map((key) => flagNames[key]).join(', ')}`);
  }
  switch (type) {
    case 'access':
      return { type, protocol, port, inputIfname: flags.ifname };
    case 'lockdown':
      return { type, protocol, port };
    case 'forwarding': {
      const { ifname, dstIp, dstPort } = flags;
      if (ifname === undefined || dstIp === undefined || dstPort === undefined) {
        const missing = (['ifname', 'dstIp', 'dstPort'] as const).filter((key) => flags[key] === undefined);
        throw new CliUsageError(`a forwarding rule needs ${missing.map((key) => flagNames[key]).join(', ')}`);
      }
      return { type, protocol, inputIfname: ifname, inputDstIp: flags.inputDstIp, port, dstIp, dstPort };
    }
  }
}
