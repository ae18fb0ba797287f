/** Interface MACs by name, kept by link notifications: no read of the system per forwarded frame. */
export class LinkTable {
  private readonly macs = new Map<string, Uint8Array>();

  update(ifname: string, mac: Uint8Array | undefined): void {
    if (mac === undefined) this.macs.delete(ifname);
    else this.macs.set(ifname, mac);
  }

  macOf(ifname: string): Uint8Array | undefined {
    return this.macs.get(ifname);
  }
}
