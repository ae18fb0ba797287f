import { existsSync, readdirSync } from 'node:fs';
import { type RunOptions, type RunResult, run, runSync } from './command';
import { CommandError } from './errors';
import { DEFAULT_GRACE_MS, killAllSync, terminateAll } from './kill';
import { findProcessesInNetns, namespaceInode } from './proc';

const NETNS_DIR = '/run/netns';

/** A named network namespace (`ip netns`) made by the bed. */
export interface Netns {
  readonly name: string;
  /** '/run/netns/<name>'; a daemon can open it and setns(2) into it. */
  readonly path: string;
  /** Runs argv inside the namespace; rejects with its stderr on failure. */
  exec(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Writes net.* sysctls inside the namespace (they are per namespace; the root namespace is untouched). */
  sysctl(settings: Readonly<Record<string, string | number>>): Promise<void>;
}

export function netnsPath(name: string): string {
  return `${NETNS_DIR}/${name}`;
}

/** argv that runs `argv` inside the named namespace. */
export function inNetns(name: string, argv: readonly string[]): string[] {
  return ['ip', 'netns', 'exec', name, ...argv];
}

class NamedNetns implements Netns {
  readonly path: string;

  constructor(readonly name: string) {
    this.path = netnsPath(name);
  }

  exec(argv: readonly string[], options?: RunOptions): Promise<RunResult> {
    return run(inNetns(this.name, argv), options);
  }

  async sysctl(settings: Readonly<Record<string, string | number>>): Promise<void> {
    const assignments = Object.entries(settings).map(([key, value]) => `${key}=${value}`);
    if (assignments.length > 0) await this.exec(['sysctl', '-q', '-w', ...assignments]);
  }
}

/** Creates the namespace and brings its loopback up. */
export async function createNetns(name: string): Promise<Netns> {
  await run(['ip', 'netns', 'add', name]);
  await run(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
  return new NamedNetns(name);
}

/** Names of every namespace under /run/netns. */
export function listNetns(): string[] {
  try {
    return readdirSync(NETNS_DIR);
  } catch {
    return [];
  }
}

/**
 * Stops every process still inside the namespace (ours by construction: nothing else enters a namespace
 * the bed made), then deletes it. Resolves false when it was already gone (which counts as deleted).
 */
export async function deleteNetns(name: string, graceMs: number = DEFAULT_GRACE_MS): Promise<boolean> {
  const inode = namespaceInode(netnsPath(name));
  if (inode === undefined) return false;
  await terminateAll(findProcessesInNetns(new Set([inode])), graceMs);
  try {
    await run(['ip', 'netns', 'delete', name]);
  } catch (err) {
    if (existsSync(netnsPath(name))) throw err; // else a concurrent sweep got there first
  }
  return true;
}

/** The blocking variant for exit handlers: SIGKILL whatever is inside, then delete. */
export function deleteNetnsSync(name: string): void {
  const inode = namespaceInode(netnsPath(name));
  if (inode === undefined) return;
  killAllSync(findProcessesInNetns(new Set([inode])));
  const argv = ['ip', 'netns', 'delete', name];
  const result = runSync(argv);
  if (!result.ok && existsSync(netnsPath(name))) throw new CommandError(argv, undefined, result.stderr);
}
