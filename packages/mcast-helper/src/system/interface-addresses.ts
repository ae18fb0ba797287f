import { interfaceIndex } from '@patchpanel/netio';
import { type Ipv4AddressUpdate, ipv4AddressUpdate, watchRtnetlink } from '@patchpanel/rtnl';
import type { Logger } from 'pino';
import { type Ipv4Interface, ipv4AddressFromBytes } from '../broadcast';

/** The ifindex of a device by name, undefined when there is no such device. */
export type ResolveIndex = (device: string) => number | undefined;

export type AddressChangeListener = (device: string) => void;

function sameEntry(a: Ipv4Interface, b: Ipv4Interface): boolean {
  return a.address === b.address && a.prefixLength === b.prefixLength;
}

function keyOf(ipv4: Ipv4Interface | undefined): string {
  return ipv4 === undefined ? '' : `${ipv4.address}/${ipv4.prefixLength}`;
}

/**
 * The IPv4 addresses of the namespace's interfaces, kept by ifindex as rtnetlink reports them and read by
 * device name. A device's address is its first one in kernel order (the primary, as SIOCGIFADDR gives it).
 * Names are resolved to an ifindex at each read, so a device re-created under the same name is followed.
 * Listeners hear about a device once its answer differs from the last one given for it; only devices asked
 * about are followed.
 */
export class InterfaceAddressTable {
  private readonly byIndex = new Map<number, Ipv4Interface[]>();
  private readonly answered = new Map<string, string>();
  private readonly listeners = new Set<AddressChangeListener>();

  constructor(private readonly resolveIndex: ResolveIndex) {}

  ipv4Of(device: string): Ipv4Interface | undefined {
    const ipv4 = this.lookup(device);
    this.answered.set(device, keyOf(ipv4));
    return ipv4;
  }

  onChange(listener: AddressChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies a NEWADDR (also from the dump; a repeat keeps its place) or a DELADDR. */
  update(update: Ipv4AddressUpdate): void {
    const entry = { address: ipv4AddressFromBytes(update.address), prefixLength: update.prefixLength };
    const entries = this.byIndex.get(update.ifindex) ?? [];
    const known = entries.some((existing) => sameEntry(existing, entry));
    if (update.removed) {
      const rest = entries.filter((existing) => !sameEntry(existing, entry));
      if (rest.length === 0) this.byIndex.delete(update.ifindex);
      else this.byIndex.set(update.ifindex, rest);
    } else if (!known) {
      this.byIndex.set(update.ifindex, [...entries, entry]);
    }
    this.notifyChanges();
  }

  private lookup(device: string): Ipv4Interface | undefined {
    const ifindex = this.resolveIndex(device);
    return ifindex === undefined ? undefined : this.byIndex.get(ifindex)?.[0];
  }

  private notifyChanges(): void {
    const changed: string[] = [];
    for (const [device, previous] of this.answered) {
      const current = keyOf(this.lookup(device));
      if (current === previous) continue;
      this.answered.set(device, current);
      changed.push(device);
    }
    for (const device of changed) for (const listener of this.listeners) listener(device);
  }
}

function systemIndex(device: string): number | undefined {
  try {
    return interfaceIndex(device);
  } catch {
    return undefined;
  }
}

export interface InterfaceAddressWatch {
  readonly table: InterfaceAddressTable;
  close(): void;
}

/**
 * Keeps an InterfaceAddressTable of the process's namespace in step with the kernel (RTM_NEWADDR/DELADDR,
 * after one dump). Addresses arrive asynchronously: the table is empty right after this returns.
 */
export function watchInterfaceAddresses(logger: Logger, resolveIndex = systemIndex): InterfaceAddressWatch {
  const table = new InterfaceAddressTable(resolveIndex);
  const options = { groups: ['IPV4_IFADDR'], dumps: ['ipv4-addresses'], logger } as const;
  const watch = watchRtnetlink(options, (type, message) => {
    const update = ipv4AddressUpdate(type, message);
    if (update !== undefined) table.update(update);
  });
  return { table, close: () => watch.close() };
}
