import type { Match, Rule, Target } from '../model';
import type { FamilyTransaction, FirewallOp } from '../transaction';
import type { IpAddress, MarkMask, OwnerId } from '../values';

/**
 * The one place rule text is made: typed transactions to `iptables-restore --noflush` input. Values were
 * validated when the rules were built, so nothing here can carry a space, a quote or a newline.
 */

const hex = (value: number): string => `0x${value.toString(16).padStart(8, '0')}`;
const markText = (mark: MarkMask): string => `${hex(mark.value)}/${hex(mark.mask)}`;
const not = (invert: boolean): string[] => (invert ? ['!'] : []);

/** Address-like matches come first, as iptables-save prints them. */
const LEADING: readonly Match['kind'][] = ['source', 'destination', 'in', 'out', 'protocol'];

function renderMatch(match: Match): string[] {
  switch (match.kind) {
    case 'source':
    case 'destination': {
      const flag = match.kind === 'source' ? '-s' : '-d';
      return [...not(match.invert), flag, `${match.cidr.address}/${match.cidr.prefixLength}`];
    }
    case 'in':
    case 'out':
      return [...not(match.invert), match.kind === 'in' ? '-i' : '-o', match.ifname];
    case 'protocol': {
      const port =
        match.destinationPort === undefined
          ? []
          : ['-m', match.protocol, '--dport', String(match.destinationPort)];
      return ['-p', match.protocol, ...port];
    }
    case 'mark':
      return ['-m', 'mark', ...not(match.invert), '--mark', markText(match.mark)];
    case 'conntrack':
      return ['-m', 'conntrack', '--ctstate', match.states.join(',')];
    case 'owner':
      return ['-m', 'owner', ...not(match.invert), '--uid-owner', String(match.uid)];
    case 'socket':
      return ['-m', 'socket', ...(match.nowildcard ? ['--nowildcard'] : [])];
  }
}

function hostPort(address: IpAddress, port: number | undefined): string {
  if (port === undefined) return address.address;
  return address.family === 'ipv6' ? `[${address.address}]:${port}` : `${address.address}:${port}`;
}

function renderTarget(target: Target): string[] {
  switch (target.kind) {
    case 'accept':
    case 'drop':
    case 'reject':
    case 'return':
    case 'masquerade':
      return ['-j', target.kind.toUpperCase()];
    case 'snat':
      return ['-j', 'SNAT', '--to-source', target.to.address];
    case 'dnat':
      return ['-j', 'DNAT', '--to-destination', hostPort(target.to, target.port)];
    case 'set-mark':
      return ['-j', 'MARK', '--set-mark', markText(target.mark)];
    case 'restore-mark':
      return ['-j', 'CONNMARK', '--restore-mark', '--mask', hex(target.mask)];
    case 'save-mark':
      return ['-j', 'CONNMARK', '--save-mark', '--mask', hex(target.mask)];
    case 'set-connmark':
      return ['-j', 'CONNMARK', '--set-mark', markText(target.mark)];
    case 'jump':
      return ['-j', target.chain];
  }
}

/** The rule's text after `-A <chain>`; `tag` adds `-m comment --comment pp:<owner>`. */
export function renderRuleSpec(rule: Rule, tag: OwnerId | undefined): string {
  const leading = rule.matches.filter((m) => LEADING.includes(m.kind));
  leading.sort((a, b) => LEADING.indexOf(a.kind) - LEADING.indexOf(b.kind));
  const modules = rule.matches.filter((m) => !LEADING.includes(m.kind));
  const comment = tag === undefined ? [] : ['-m', 'comment', '--comment', `pp:${tag}`];
  return [
    ...leading.flatMap(renderMatch),
    ...modules.flatMap(renderMatch),
    ...comment,
    ...renderTarget(rule.target),
  ].join(' ');
}

function renderOp(op: FirewallOp): string {
  switch (op.op) {
    case 'declare':
      return `:${op.chain} - [0:0]`;
    case 'append':
      return `-A ${op.chain} ${renderRuleSpec(op.rule, op.tag)}`;
    case 'insert':
      return `-I ${op.chain} 1 ${renderRuleSpec(op.rule, op.tag)}`;
    case 'delete':
      return `-D ${op.chain} ${renderRuleSpec(op.rule, op.tag)}`;
    case 'delete-found':
      return `-D ${op.chain} ${op.handle.text}`;
    case 'flush':
      return `-F ${op.chain}`;
    case 'remove':
      return `-X ${op.chain}`;
  }
}

/** Input for `iptables-restore --noflush` (or ip6tables-restore): one `*table … COMMIT` section per batch. */
export function renderRestoreScript(transaction: FamilyTransaction): string {
  const sections = transaction.batches.map((batch) => [
    `*${batch.table}`,
    ...batch.ops.map(renderOp),
    'COMMIT',
  ]);
  return `${sections.flat().join('\n')}\n`;
}
