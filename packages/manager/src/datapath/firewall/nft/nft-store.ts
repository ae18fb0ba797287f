import execa from 'execa';
import type { Logger } from 'pino';
import { FirewallApplyError, FirewallInspectError } from '../errors';
import type { RuleSet } from '../rule-set';
import type { FirewallStore } from '../store';
import type { OwnerId } from '../values';
import {
  jumpedChains,
  jumpsInListing,
  NFT_TABLE,
  type NftJump,
  parseListing,
  renderRemoveFound,
  renderTable,
} from './index';
import { nftMessage } from './netlink/messages';
import { NftablesSocket } from './netlink/nftables-socket';
import { NftSession, type RestartReplay } from './nft-session';
import { type NftOp, nftCommand } from './ops';
import { installOps, removeOps } from './render-owner';

export interface NftStoreOptions {
  readonly log: Logger;
  /** Run nft inside this network namespace (through nsenter), else in the daemon's. */
  readonly netnsPath?: string;
}

/**
 * The rule sets in one table, `inet patchpanel`: every change is one transaction for both families, so a
 * failure leaves nothing half-applied and needs no rollback. Owners whose hook chains are keyed by interface or
 * source network (the connected namespaces) are reached through the base chains' verdict maps and removed by
 * key; the few others (the base, port rules) by jump rules whose handles are read from their base chains after
 * install. Never a search through a shared chain on removal.
 *
 * The table's structure (start, rebuild), listings and the removal of owners known only by name go through one
 * long-lived `nft -i` session; an owner's install and removal go straight to the kernel as nf_tables netlink
 * messages, because nft reads the table's chains and maps back before each command after any change (1 ms per
 * 1000 chains here), and the kernel needs none of that. A replaced session rebuilds the table from the
 * installed rule sets.
 */
class NftStore implements FirewallStore {
  readonly name = 'nftables';
  private readonly session: NftSession;
  private kernel: NftablesSocket | undefined;
  /** What is installed, in installation order, with the handles of each owner's jumps. */
  private readonly installed = new Map<OwnerId, { set: RuleSet; jumps: NftJump[] }>();

  constructor(private readonly options: NftStoreOptions) {
    this.session = new NftSession({
      log: options.log.child({ component: 'nft-session' }),
      netnsPath: options.netnsPath,
      onRestart: () => this.rebuild(),
    });
  }

  async reset(base: RuleSet): Promise<void> {
    this.installed.clear();
    await this.session.run(renderTable([base]));
    await this.record([base], (c) => this.session.run(c));
  }

  async install(next: RuleSet, previous: RuleSet | undefined): Promise<void> {
    const before = this.installed.get(next.owner);
    const removal = previous !== undefined && before !== undefined ? removeOps(previous, before.jumps) : [];
    try {
      await this.commit([...removal, ...installOps(next)]);
    } catch (err) {
      // One transaction: nothing of it was applied, `previous` is still there.
      throw new FirewallApplyError(`apply ${next.owner} failed`, [], { cause: err });
    }
    await this.record([next], (c) => this.session.run(c));
  }

  async remove(owner: OwnerId, applied: RuleSet | undefined): Promise<void> {
    const known = this.installed.get(owner);
    if (applied !== undefined && known !== undefined) {
      await this.commit(removeOps(applied, known.jumps));
    } else {
      const commands = renderRemoveFound(owner, await this.session.run([`list table inet ${NFT_TABLE}`]));
      if (commands.length > 0) await this.session.run(commands);
    }
    this.installed.delete(owner);
  }

  async teardown(): Promise<void> {
    this.installed.clear();
    try {
      await this.session.run([`add table inet ${NFT_TABLE}`, `delete table inet ${NFT_TABLE}`]);
    } finally {
      this.session.close();
      this.kernel?.close();
      this.kernel = undefined;
    }
  }

  /** `ops` as one kernel transaction (after a dead session's replacement rebuilt the table); a refused one is named by its nft command. */
  private async commit(ops: readonly NftOp[]): Promise<void> {
    await this.session.ready();
    this.kernel ??= NftablesSocket.open({ path: this.options.netnsPath ?? '/proc/self/ns/net' });
    this.kernel.commit(ops.map(nftMessage), (i) => nftCommand(ops[i] as NftOp));
  }

  /** The whole ruleset (other tables too), without handles, as `nft list ruleset` prints it. */
  async dump(): Promise<string> {
    const prefix =
      this.options.netnsPath === undefined ? [] : ['nsenter', `--net=${this.options.netnsPath}`, '--'];
    const argv = [...prefix, 'nft', 'list', 'ruleset'];
    const result = await execa(argv[0] ?? 'nft', argv.slice(1), { reject: false });
    if (result.exitCode !== 0) throw new FirewallInspectError(`nft list ruleset: ${result.stderr.trim()}`);
    return result.stdout;
  }

  /** After nft was replaced: the table rebuilt from what is installed, in one transaction, with new handles. */
  private rebuild(): RestartReplay {
    const sets = [...this.installed.values()].map((entry) => entry.set);
    return {
      commands: renderTable(sets),
      applied: (run) => this.record(sets, run),
    };
  }

  /**
   * Records the sets as installed, with the handles of the jumps into their jumped hook chains, read from just
   * the base chains holding them (one `list chain` per batch: nft does not take several on one line).
   */
  private async record(
    sets: readonly RuleSet[],
    run: (c: readonly string[]) => Promise<string>,
  ): Promise<void> {
    const bases = [...new Set(sets.flatMap((set) => jumpedChains(set).map((j) => j.base)))];
    const listings: string[] = [];
    for (const base of bases) listings.push(await run([`list chain inet ${NFT_TABLE} ${base}`]));
    const listing = parseListing(listings.join('\n'));
    for (const set of sets) this.installed.set(set.owner, { set, jumps: jumpsInListing(set, listing) });
  }
}

export function createNftStore(options: NftStoreOptions): FirewallStore {
  return new NftStore(options);
}
