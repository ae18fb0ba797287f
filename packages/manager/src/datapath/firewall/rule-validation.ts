import { FirewallRuleError } from './errors';
import type { Family, FamilyScope, Hook, Match, Rule, Table, Target } from './model';
import { cidr, ifnamePattern, ipAddress, isOurChain, markMask, port, u32, uid } from './values';

/** Where a rule sits: its table, the families it exists in, and the hook when its chain is a hook chain. */
export interface RulePlace {
  readonly family: FamilyScope;
  readonly table: Table;
  readonly hook: Hook | undefined;
}

const TARGET_PLACES: Readonly<Record<Target['kind'], { tables: readonly Table[]; hooks?: readonly Hook[] }>> =
  {
    accept: { tables: ['filter', 'nat', 'mangle'] },
    return: { tables: ['filter', 'nat', 'mangle'] },
    jump: { tables: ['filter', 'nat', 'mangle'] },
    drop: { tables: ['filter', 'mangle'] },
    reject: { tables: ['filter'] },
    masquerade: { tables: ['nat'], hooks: ['POSTROUTING'] },
    snat: { tables: ['nat'], hooks: ['POSTROUTING', 'INPUT'] },
    dnat: { tables: ['nat'], hooks: ['PREROUTING', 'OUTPUT'] },
    'set-mark': { tables: ['mangle'] },
    'restore-mark': { tables: ['mangle'] },
    'save-mark': { tables: ['mangle'] },
    'set-connmark': { tables: ['mangle'] },
  };

/** Hooks where a match has no meaning (no input interface on output paths, no owner on input paths). */
const MATCH_FORBIDDEN_HOOKS: Partial<Record<Match['kind'], readonly Hook[]>> = {
  in: ['OUTPUT', 'POSTROUTING'],
  out: ['PREROUTING', 'INPUT'],
  owner: ['PREROUTING', 'INPUT', 'FORWARD'],
};

function fail(place: RulePlace, why: string): never {
  throw new FirewallRuleError(`${place.table}/${place.hook ?? 'own chain'} (${place.family}): ${why}`);
}

function checkAddressFamily(place: RulePlace, family: Family, what: string): void {
  if (place.family !== family)
    fail(place, `${what} is ${family} but the rule is declared for ${place.family}`);
}

/** Re-checks the values (a cast could have skipped the constructors) and where the match may appear. */
function checkMatch(place: RulePlace, match: Match): void {
  switch (match.kind) {
    case 'in':
    case 'out':
      ifnamePattern(match.ifname);
      break;
    case 'source':
    case 'destination':
      cidr(`${match.cidr.address}/${match.cidr.prefixLength}`);
      checkAddressFamily(place, match.cidr.family, `${match.kind} ${match.cidr.address}`);
      break;
    case 'protocol':
      if (match.protocol !== 'tcp' && match.protocol !== 'udp') fail(place, `protocol ${match.protocol}`);
      if (match.destinationPort !== undefined) port(match.destinationPort);
      break;
    case 'mark':
      markMask(match.mark.value, match.mark.mask);
      break;
    case 'conntrack':
      if (match.states.length === 0) fail(place, 'a conntrack match needs a state');
      break;
    case 'owner':
      uid(match.uid);
      break;
    case 'socket':
      break;
  }
  if (place.hook !== undefined && MATCH_FORBIDDEN_HOOKS[match.kind]?.includes(place.hook)) {
    fail(place, `a ${match.kind} match cannot be used in ${place.hook}`);
  }
}

function checkTarget(place: RulePlace, target: Target): void {
  const allowed = TARGET_PLACES[target.kind];
  if (allowed === undefined || !allowed.tables.includes(place.table))
    fail(place, `${target.kind} is not allowed here`);
  if (place.hook !== undefined && allowed.hooks !== undefined && !allowed.hooks.includes(place.hook)) {
    fail(place, `${target.kind} is not allowed in ${place.hook}`);
  }
  switch (target.kind) {
    case 'snat':
    case 'dnat':
      checkAddressFamily(place, ipAddress(target.to.address).family, `${target.kind} address`);
      if (target.kind === 'dnat' && target.port !== undefined) port(target.port);
      break;
    case 'set-mark':
    case 'set-connmark':
      markMask(target.mark.value, target.mark.mask);
      break;
    case 'restore-mark':
    case 'save-mark':
      u32(target.mask);
      break;
    case 'jump':
      if (!isOurChain(target.chain)) fail(place, `jump to ${target.chain}, which is not a chain of ours`);
      break;
    default:
      break;
  }
}

/** Throws PP_ERR_FIREWALL_RULE unless the rule can exist at that place. */
export function validateRule(place: RulePlace, rule: Rule): void {
  const kinds = rule.matches.map((m) => m.kind);
  const repeated = kinds.find((kind, i) => kinds.indexOf(kind) !== i);
  if (repeated !== undefined) fail(place, `the ${repeated} match appears twice`);
  for (const match of rule.matches) checkMatch(place, match);
  checkTarget(place, rule.target);
}
