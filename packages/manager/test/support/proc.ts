import { readdirSync, readFileSync } from 'node:fs';
import { parseProcStat } from '@patchpanel/testbed';

function parentOf(pid: number): number | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.ppid;
  } catch {
    return undefined;
  }
}

/** Host pids of every live descendant of `ancestor`. */
export function descendantsOf(ancestor: number): number[] {
  const pids = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
  return pids.filter((pid) => {
    for (let p = parentOf(pid); p !== undefined && p > 1; p = parentOf(p)) if (p === ancestor) return true;
    return false;
  });
}

export function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** The host pid of the Node process running `entry` below `ancestor` (through jailers and their inits). */
export function nodeProcessRunning(ancestor: number, entry: string): number | undefined {
  return descendantsOf(ancestor).find((pid) => {
    const argv = commandLine(pid);
    return argv.at(-1) === entry && argv[0] !== 'setpriv' && !argv.includes('--');
  });
}

export function processStatus(pid: number): Record<string, string> {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Object.fromEntries(
    status
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon), line.slice(colon + 1).trim()];
      }),
  );
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
