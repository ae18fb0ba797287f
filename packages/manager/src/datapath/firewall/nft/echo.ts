import type { OwnerId } from '../values';
import { NFT_TABLE } from './names';

/** A jump rule of ours as nft echoed it: where it sits, its handle there, where it goes, whose it is. */
export interface NftJump {
  readonly chain: string;
  readonly handle: number;
  readonly target: string;
  readonly owner: OwnerId;
}

/** `add rule inet patchpanel <chain> [matches] jump <target> comment "pp:<owner>" # handle <n>` (or `insert`). */
const ECHOED_JUMP = new RegExp(
  `^(?:add|insert) rule inet ${NFT_TABLE} (pp_\\w+) (?:.* )?jump (pp_\\w+) comment "pp:([a-z][a-z0-9]{0,12})" # handle (\\d+)$`,
);

/**
 * The jump rules `nft -e -a` echoed for a batch, in echo order: the owners' hook jumps and the jumps inside
 * an owner's chains alike. Every other line (chains, other rules, `# new generation …`) is skipped.
 */
export function parseEchoedJumps(output: string): NftJump[] {
  return output.split('\n').flatMap((line) => {
    const found = ECHOED_JUMP.exec(line.trimEnd());
    if (found === null) return [];
    const [, chain, target, owner, handle] = found as unknown as [string, string, string, string, string];
    const number = Number(handle);
    if (!Number.isSafeInteger(number) || number < 1) return [];
    return [{ chain, handle: number, target, owner: owner as OwnerId }];
  });
}
