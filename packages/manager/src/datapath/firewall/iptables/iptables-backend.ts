import execa from 'execa';
import type { Logger } from 'pino';
import type { FirewallBackend } from '../backend';
import { FirewallCommitError, FirewallInspectError } from '../errors';
import type { Family } from '../model';
import type { FamilyTransaction, FoundTable } from '../transaction';
import { renderRestoreScript } from './restore-script';
import { findOwned, parseSave } from './save-parser';

export interface IptablesBackendOptions {
  readonly log: Logger;
  /** Run every command inside this network namespace (`/run/netns/<name>` or `/proc/<pid>/ns/net`). */
  readonly netnsPath?: string;
  /** Per command; default 10 s. */
  readonly timeoutMs?: number;
}

const COMMANDS: Readonly<Record<Family, { restore: string; save: string }>> = {
  ipv4: { restore: 'iptables-restore', save: 'iptables-save' },
  ipv6: { restore: 'ip6tables-restore', save: 'ip6tables-save' },
};

/** `iptables-restore --noflush -w` per transaction (argv only, the script on stdin), `iptables-save` to read. */
class IptablesBackend implements FirewallBackend {
  readonly name = 'iptables';
  private readonly prefix: readonly string[];
  private readonly timeoutMs: number;

  constructor(private readonly options: IptablesBackendOptions) {
    this.prefix = options.netnsPath === undefined ? [] : ['nsenter', `--net=${options.netnsPath}`, '--'];
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  private failure(result: execa.ExecaReturnValue): string | undefined {
    if (!result.failed && result.exitCode === 0) return undefined;
    if (result.timedOut) return `${result.command}: no answer within ${this.timeoutMs} ms`;
    return result.stderr.trim() || `${result.command}: exit ${result.exitCode}`;
  }

  private run(argv: readonly string[], input?: string) {
    const [file, ...args] = [...this.prefix, ...argv] as [string, ...string[]];
    return execa(file, args, { input, reject: false, timeout: this.timeoutMs, stripFinalNewline: false });
  }

  async commit(transaction: FamilyTransaction): Promise<void> {
    if (transaction.batches.length === 0) return;
    const script = renderRestoreScript(transaction);
    const result = await this.run([COMMANDS[transaction.family].restore, '-w', '--noflush'], script);
    const detail = this.failure(result);
    if (detail !== undefined) {
      this.options.log.debug({ family: transaction.family, script, stderr: detail }, 'restore failed');
      throw new FirewallCommitError(transaction.family, detail);
    }
  }

  async dump(family: Family): Promise<string> {
    const result = await this.run([COMMANDS[family].save]);
    const detail = this.failure(result);
    if (detail !== undefined) throw new FirewallInspectError(`${COMMANDS[family].save}: ${detail}`);
    return result.stdout;
  }

  async inspect(family: Family): Promise<readonly FoundTable[]> {
    return findOwned(parseSave(await this.dump(family)));
  }
}

export function createIptablesBackend(options: IptablesBackendOptions): FirewallBackend {
  return new IptablesBackend(options);
}
