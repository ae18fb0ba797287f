import execa from 'execa';
import type { Logger } from 'pino';
import { FirewallApplyError, FirewallInspectError } from '../errors';
import type { RuleSet } from '../rule-set';
import type { FirewallStore } from '../store';
import type { OwnerId } from '../values';
import {
  NFT_TABLE,
  type NftJump,
  parseEchoedJumps,
  renderBaseTable,
  renderInstall,
  renderRemove,
  renderRemoveFound,
} from './index';
import { NftSession, type RestartReplay } from './nft-session';

export interface NftStoreOptions {
  readonly log: Logger;
  /** Run nft inside this network namespace (through nsenter), else in the daemon's. */
  readonly netnsPath?: string;
}

/**
 * The rule sets in one table, `inet patchpanel`, through one long-lived `nft -i` session: every change is
 * one transaction for both families, so a failure leaves nothing half-applied and needs no rollback. An
 * owner's jumps are deleted by the handles nft echoed when they were added: never a search through a shared
 * chain. A replaced session rebuilds the table from the installed rule sets.
 */
class NftStore implements FirewallStore {
  readonly name = 'nftables';
  private readonly session: NftSession;
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
    const echoed = await this.session.run([...renderBaseTable(), ...renderInstall(base)]);
    this.installed.set(base.owner, { set: base, jumps: jumpsOf(echoed, base.owner) });
  }

  async install(next: RuleSet, previous: RuleSet | undefined): Promise<void> {
    const before = this.installed.get(next.owner);
    const removal =
      previous !== undefined && before !== undefined ? renderRemove(previous, before.jumps) : [];
    let echoed: string;
    try {
      echoed = await this.session.run([...removal, ...renderInstall(next)]);
    } catch (err) {
      // One transaction: nothing of it was applied, `previous` is still there.
      throw new FirewallApplyError(`apply ${next.owner} failed`, [], { cause: err });
    }
    this.installed.set(next.owner, { set: next, jumps: jumpsOf(echoed, next.owner) });
  }

  async remove(owner: OwnerId, applied: RuleSet | undefined): Promise<void> {
    const known = this.installed.get(owner);
    if (applied !== undefined && known !== undefined) {
      await this.session.run(renderRemove(applied, known.jumps));
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
    }
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
      commands: [...renderBaseTable(), ...sets.flatMap((set) => renderInstall(set))],
      applied: (echoed) => {
        for (const set of sets) this.installed.set(set.owner, { set, jumps: jumpsOf(echoed, set.owner) });
      },
    };
  }
}

function jumpsOf(echoed: string, owner: OwnerId): NftJump[] {
  return parseEchoedJumps(echoed).filter((jump) => jump.owner === owner);
}

export function createNftStore(options: NftStoreOptions): FirewallStore {
  return new NftStore(options);
}
