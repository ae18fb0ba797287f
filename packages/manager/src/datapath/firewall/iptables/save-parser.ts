import { FirewallInspectError } from '../errors';
import type { Table } from '../model';
import type { FoundJump, FoundTable } from '../transaction';
import { isOurChain } from '../values';

export interface SavedChain {
  readonly name: string;
  /** ACCEPT/DROP for a built-in chain, undefined ('-') for a user chain. */
  readonly policy: string | undefined;
}

export interface SavedRule {
  readonly chain: string;
  /** The text after `-A <chain> `, as iptables-save printed it. */
  readonly spec: string;
}

export interface SavedTable {
  readonly table: string;
  readonly chains: readonly SavedChain[];
  readonly rules: readonly SavedRule[];
}

/** Splits a saved rule into words: blanks separate, double quotes group (with backslash escapes). */
export function splitWords(spec: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quoted = false;
  for (let i = 0; i < spec.length; i += 1) {
    const ch = spec[i] as string;
    if (quoted && ch === '\\' && i + 1 < spec.length) {
      word = (word ?? '') + spec[++i];
    } else if (ch === '"') {
      quoted = !quoted;
      word ??= '';
    } else if (!quoted && (ch === ' ' || ch === '\t')) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (quoted) throw new FirewallInspectError(`unbalanced quote in saved rule: ${spec}`);
  if (word !== undefined) words.push(word);
  return words;
}

/** The chain a saved rule jumps (-j) or goes (-g) to, when it names one. */
export function jumpTarget(spec: string): string | undefined {
  const words = splitWords(spec);
  const at = words.findIndex((w) => w === '-j' || w === '-g' || w === '--jump' || w === '--goto');
  return at < 0 ? undefined : words[at + 1];
}

/** Parses `iptables-save` / `ip6tables-save` output; anything unexpected is PP_ERR_FIREWALL_INSPECT. */
export function parseSave(text: string): SavedTable[] {
  const tables: SavedTable[] = [];
  let current: { table: string; chains: SavedChain[]; rules: SavedRule[] } | undefined;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trimEnd();
    const where = () => `line ${index + 1}: ${line}`;
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      if (current !== undefined) throw new FirewallInspectError(`table without COMMIT before ${where()}`);
      current = { table: line.slice(1), chains: [], rules: [] };
      continue;
    }
    if (current === undefined) throw new FirewallInspectError(`outside a table, ${where()}`);
    if (line === 'COMMIT') {
      tables.push(current);
      current = undefined;
    } else if (line.startsWith(':')) {
      const [name, policy] = line.slice(1).split(' ');
      if (name === undefined || name === '') throw new FirewallInspectError(`bad chain, ${where()}`);
      current.chains.push({ name, policy: policy === '-' ? undefined : policy });
    } else if (line.startsWith('-A ')) {
      const rest = line.slice(3);
      const space = rest.indexOf(' ');
      const chain = space < 0 ? rest : rest.slice(0, space);
      current.rules.push({ chain, spec: space < 0 ? '' : rest.slice(space + 1) });
    } else {
      throw new FirewallInspectError(`unexpected ${where()}`);
    }
  }
  if (current !== undefined) throw new FirewallInspectError(`table ${current.table} has no COMMIT`);
  return tables;
}

const OUR_TABLES: readonly string[] = ['filter', 'nat', 'mangle'];

/** Our chains and every jump into one, per table of ours. */
export function findOwned(tables: readonly SavedTable[]): FoundTable[] {
  return tables
    .filter((t) => OUR_TABLES.includes(t.table))
    .map((t) => {
      const jumps: FoundJump[] = [];
      for (const rule of t.rules) {
        const to = jumpTarget(rule.spec);
        if (to !== undefined && isOurChain(to))
          jumps.push({ from: rule.chain, to, handle: { text: rule.spec } });
      }
      return { table: t.table as Table, chains: t.chains.map((c) => c.name).filter(isOurChain), jumps };
    });
}
