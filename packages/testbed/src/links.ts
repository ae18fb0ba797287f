import { run } from './command';
import { assertInterfaceName, assertMac } from './names';
import type { Netns } from './netns';

export interface VethOptions {
  /** MAC of the end in the first namespace. */
  readonly aMac?: string;
  /** MAC of the end in the second namespace. */
  readonly bMac?: string;
}

/** `ip -n a link add ...`: the pair is born inside `a` with its peer in `b`, never in the root namespace. */
export function vethAddArgv(
  a: string,
  aName: string,
  b: string,
  bName: string,
  options: VethOptions = {},
): string[] {
  const address = (mac?: string): string[] => (mac === undefined ? [] : ['address', mac]);
  return [
    'ip',
    '-n',
    a,
    'link',
    'add',
    aName,
    ...address(options.aMac),
    'type',
    'veth',
    'peer',
    'name',
    bName,
    ...address(options.bMac),
    'netns',
    b,
  ];
}

export async function addVeth(
  a: Netns,
  aName: string,
  b: Netns,
  bName: string,
  options: VethOptions = {},
): Promise<void> {
  assertInterfaceName(aName);
  assertInterfaceName(bName);
  if (options.aMac !== undefined) assertMac(options.aMac);
  if (options.bMac !== undefined) assertMac(options.bMac);
  await run(vethAddArgv(a.name, aName, b.name, bName, options));
  await run(['ip', '-n', a.name, 'link', 'set', aName, 'up']);
  await run(['ip', '-n', b.name, 'link', 'set', bName, 'up']);
}

/** A bridge inside `ns` enslaving `ports` (which must already exist in `ns`), everything up. */
export async function addBridge(ns: Netns, name: string, ports: readonly string[]): Promise<void> {
  assertInterfaceName(name);
  for (const port of ports) assertInterfaceName(port);
  await run(['ip', '-n', ns.name, 'link', 'add', name, 'type', 'bridge']);
  for (const port of ports) {
    await run(['ip', '-n', ns.name, 'link', 'set', port, 'master', name]);
    await run(['ip', '-n', ns.name, 'link', 'set', port, 'up']);
  }
  await run(['ip', '-n', ns.name, 'link', 'set', name, 'up']);
}
