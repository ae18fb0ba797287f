import type { PortRule } from '../../../api/patchpanel-api';
import { type RuleSet, ruleSet } from '../rule-set';
import { ACCEPT, destination, dnat, inInterface, outInterface, ownerUid, protocol, REJECT } from '../rules';

export interface PortRuleFirewallInput {
  /** e.g. `port7` for the seventh instance the service created. */
  readonly owner: string;
  readonly rule: PortRule;
  /** LOCKDOWN exempts this uid (chronos in the original); undefined (user absent) rejects every local uid. */
  readonly lockdownExemptUid: number | undefined;
}

/**
 * One ModifyPortRule instance (spec §8.1), jumped to first so it precedes catch-all rules: ACCESS opens an
 * input port, LOCKDOWN rejects other users' connections to a loopback port, FORWARDING DNATs an input port
 * to an address behind the host and lets that traffic through.
 */
export function buildPortRuleSet(input: PortRuleFirewallInput): RuleSet {
  const b = ruleSet(input.owner, 'first');
  const { rule } = input;
  switch (rule.type) {
    case 'access': {
      const scope = rule.inputIfname === undefined ? [] : [inInterface(rule.inputIfname)];
      b.add('both', 'filter', 'INPUT', [...scope, protocol(rule.protocol, rule.port)], ACCEPT);
      break;
    }
    case 'lockdown': {
      const exempt =
        input.lockdownExemptUid === undefined ? [] : [ownerUid(input.lockdownExemptUid, { invert: true })];
      b.add(
        'both',
        'filter',
        'OUTPUT',
        [outInterface('lo'), protocol(rule.protocol, rule.port), ...exempt],
        REJECT,
      );
      break;
    }
    case 'forwarding': {
      const arrival = rule.inputDstIp === undefined ? [] : [destination(rule.inputDstIp)];
      const prerouting = [inInterface(rule.inputIfname), ...arrival, protocol(rule.protocol, rule.port)];
      b.add('ipv4', 'nat', 'PREROUTING', prerouting, dnat(rule.dstIp, rule.dstPort));
      const forward = [
        inInterface(rule.inputIfname),
        destination(rule.dstIp),
        protocol(rule.protocol, rule.dstPort),
      ];
      b.add('ipv4', 'filter', 'FORWARD', forward, ACCEPT);
      break;
    }
  }
  return b.build();
}
