import { readFileSync } from 'node:fs';

/** Capability bits `ip netns` and veth creation need. */
const REQUIRED_CAPS: readonly (readonly [bigint, string])[] = [
  [12n, 'CAP_NET_ADMIN'],
  [21n, 'CAP_SYS_ADMIN'],
];

/** The effective capability mask from /proc/<pid>/status text. */
export function parseCapEff(status: string): bigint | undefined {
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  return hex === undefined ? undefined : BigInt(`0x${hex}`);
}

/** Why this process cannot build namespaces (pure: takes euid and the status text), or undefined if it can. */
export function privilegeProblem(euid: number, status: string): string | undefined {
  if (euid !== 0) return `runs as uid ${euid}, not root`;
  const caps = parseCapEff(status);
  if (caps === undefined) return 'no CapEff line in /proc/self/status';
  const missing = REQUIRED_CAPS.filter(([bit]) => ((caps >> bit) & 1n) === 0n);
  return missing.length === 0 ? undefined : `lacks ${missing.map(([, name]) => name).join(' and ')}`;
}

/** Why the bed cannot run here, or undefined when it can (root with CAP_NET_ADMIN and CAP_SYS_ADMIN). */
export function missingPrivileges(): string | undefined {
  return privilegeProblem(process.geteuid?.() ?? -1, readFileSync('/proc/self/status', 'utf8'));
}
