import { FirewallInspectError } from '../errors';

/** A rule `nft -a list` printed: its text (without the handle), its handle, the chain it jumps or goes to. */
export interface ListedRule {
  readonly text: string;
  readonly handle: number;
  readonly jumpsTo: string | undefined;
}

export interface ListedChain {
  readonly name: string;
  readonly rules: readonly ListedRule[];
}

/** A verdict map and the elements of it that jump to a chain (`"arc_ns0" : jump pp_…`). */
export interface ListedMap {
  readonly name: string;
  readonly elements: readonly { readonly key: string; readonly jumpsTo: string }[];
}

export interface Listing {
  readonly chains: readonly ListedChain[];
  readonly maps: readonly ListedMap[];
}

const CHAIN_HEADER = /^chain (\S+) \{(?: # handle \d+)?$/;
const MAP_HEADER = /^map (\S+) \{(?: # handle \d+)?$/;
const ELEMENT = /("[^"]*"|[0-9a-fA-F.:/]+) : (?:jump|goto) (pp_\w+)/g;
const BLOCK_HEADER = /\{(?: # handle \d+)?$/;
const RULE = /^(.*) # handle (\d+)$/;
const JUMP = /(?:^|\s)(?:jump|goto) (\S+)/;
const TRAILING_COMMENT = /\s*comment "(?:[^"\\]|\\.)*"$/;

function listedRule(text: string, handle: string): ListedRule {
  const jump = JUMP.exec(text.replace(TRAILING_COMMENT, ''));
  return { text, handle: Number(handle), jumpsTo: jump?.[1] };
}

/**
 * The chains with their rules and the maps with their jump elements in `nft -a list table …` output (blank
 * lines may be missing). Other blocks (sets) are skipped; a rule outside a chain or an unbalanced brace is
 * PP_ERR_FIREWALL_INSPECT.
 */
export function parseListing(text: string): Listing {
  const chains: { name: string; rules: ListedRule[] }[] = [];
  const maps: { name: string; elements: { key: string; jumpsTo: string }[] }[] = [];
  /** The blocks open at this line, innermost last; `undefined` for a block that is not a chain. */
  const open: ({ name: string; rules: ListedRule[] } | undefined)[] = [];
  let map: { name: string; elements: { key: string; jumpsTo: string }[] } | undefined;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    const where = () => `line ${index + 1}: ${line}`;
    const header = CHAIN_HEADER.exec(line);
    const mapHeader = MAP_HEADER.exec(line);
    const rule = RULE.exec(line);
    if (map !== undefined && line !== '}') {
      for (const [, key, jumpsTo] of line.matchAll(ELEMENT))
        map.elements.push({ key: key as string, jumpsTo: jumpsTo as string });
    }
    if (header !== null) {
      const chain = { name: header[1] as string, rules: [] };
      chains.push(chain);
      open.push(chain);
    } else if (mapHeader !== null) {
      map = { name: mapHeader[1] as string, elements: [] };
      maps.push(map);
      open.push(undefined);
    } else if (BLOCK_HEADER.test(line)) {
      open.push(undefined);
    } else if (line === '}') {
      if (open.length === 0)
        throw new FirewallInspectError(`unbalanced brace in the nft listing, ${where()}`);
      open.pop();
      if (open.length <= 1) map = undefined;
    } else if (map === undefined && rule !== null) {
      const chain = open[open.length - 1];
      if (chain === undefined)
        throw new FirewallInspectError(`rule outside a chain in the nft listing, ${where()}`);
      chain.rules.push(listedRule(rule[1] as string, rule[2] as string));
    }
  }
  if (open.length > 0) throw new FirewallInspectError('the nft listing ends inside a block');
  return { chains, maps };
}
