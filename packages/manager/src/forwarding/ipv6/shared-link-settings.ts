/** One setting of a link that several users may need. */
export interface LinkSetting {
  /** Puts the setting in effect; returns how to undo that, or undefined when it was in effect already. */
  apply(ifname: string): (() => void) | undefined;
}

/**
 * Reference-counts a link setting: the first user applies it, the last one undoes it, and a setting the host
 * had made itself before the first user is left as it was.
 */
export class SharedLinkSetting {
  private readonly users = new Map<string, { count: number; undo: (() => void) | undefined }>();

  constructor(private readonly setting: LinkSetting) {}

  acquire(ifname: string): void {
    const entry = this.users.get(ifname);
    if (entry !== undefined) entry.count += 1;
    else this.users.set(ifname, { count: 1, undo: this.setting.apply(ifname) });
  }

  release(ifname: string): void {
    const entry = this.users.get(ifname);
    if (entry === undefined) return;
    entry.count -= 1;
    if (entry.count > 0) return;
    this.users.delete(ifname);
    entry.undo?.();
  }
}
