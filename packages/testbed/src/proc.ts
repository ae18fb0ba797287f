import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';

/** A pid plus its start time (clock ticks since boot): together they name one process, never a reused pid. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly startTime: string;
}

export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  readonly state: string;
  readonly ppid: number;
  readonly startTime: string;
}

/** Parses /proc/<pid>/stat. comm may hold spaces and parentheses, so fields are counted after the last ')'. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // fields[0] is field 3 (state) of proc(5); starttime is field 22.
  const state = fields[0];
  const ppid = Number(fields[1]);
  const startTime = fields[19];
  const pid = Number(text.slice(0, open).trim());
  if (state === undefined || startTime === undefined || !/^\d+$/.test(startTime)) return undefined;
  if (!Number.isInteger(pid) || !Number.isInteger(ppid)) return undefined;
  return { pid, comm: text.slice(open + 1, close), state, ppid, startTime };
}

/** 'net:[4026532318]' -> '4026532318'. */
export function parseNamespaceLink(link: string): string | undefined {
  return /^[a-z_]+:\[(\d+)\]$/.exec(link)?.[1];
}

function readStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The identity of a running process; undefined when it is gone or a zombie. */
export function readIdentity(pid: number): ProcessIdentity | undefined {
  const stat = readStat(pid);
  if (stat === undefined || stat.state === 'Z' || stat.state === 'X') return undefined;
  return { pid, startTime: stat.startTime };
}

/** True while the very process of this identity runs (same pid, same start time, not a zombie). */
export function isAlive(identity: ProcessIdentity): boolean {
  return readIdentity(identity.pid)?.startTime === identity.startTime;
}

/** The inode that names a network namespace file such as /run/netns/<name> or /proc/<pid>/ns/net. */
export function namespaceInode(path: string): string | undefined {
  try {
    return statSync(path, { bigint: true }).ino.toString();
  } catch {
    return undefined;
  }
}

/** Every live process (except this one) whose network namespace is one of `inodes`. */
export function findProcessesInNetns(inodes: ReadonlySet<string>): ProcessIdentity[] {
  if (inodes.size === 0) return [];
  const found: ProcessIdentity[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let inode: string | undefined;
    try {
      inode = parseNamespaceLink(readlinkSync(`/proc/${pid}/ns/net`));
    } catch {
      continue; // gone, or a kernel thread
    }
    if (inode === undefined || !inodes.has(inode)) continue;
    const identity = readIdentity(pid);
    if (identity !== undefined) found.push(identity);
  }
  return found;
}

/** Live children of `ppid` (e.g. the process bwrap forks), found through /proc. */
export function findChildren(ppid: number): ProcessIdentity[] {
  const found: ProcessIdentity[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat?.ppid === ppid && stat.state !== 'Z') found.push({ pid: stat.pid, startTime: stat.startTime });
  }
  return found;
}
