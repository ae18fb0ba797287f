import type {
  ConnectedNamespace,
  ConnectNamespaceRequest,
  NetworkDeviceInfo,
  PatchPanelApi,
  PortRule,
} from '../../src/api/patchpanel-api';

/** A PatchPanelApi that records every call and answers from canned values; `failWith` makes every call throw. */
export class FakePatchPanelApi implements PatchPanelApi {
  readonly namespaceRequests: ConnectNamespaceRequest[] = [];
  readonly portRuleChanges: Array<{ operation: 'create' | 'delete'; rule: PortRule }> = [];
  getDevicesCalls = 0;
  devices: NetworkDeviceInfo[] = [];
  failWith: Error | undefined;
  /** Runs inside connectNamespace before it answers (e.g. to use the lifeline). */
  onConnect: ((request: ConnectNamespaceRequest) => void) | undefined;

  get callCount(): number {
    return this.namespaceRequests.length + this.portRuleChanges.length + this.getDevicesCalls;
  }

  async connectNamespace(request: ConnectNamespaceRequest): Promise<ConnectedNamespace> {
    const n = this.namespaceRequests.push(request) - 1;
    if (this.failWith) throw this.failWith;
    this.onConnect?.(request);
    return {
      subnet: { base: `100.115.92.${24 + 4 * n}`, prefixLength: 30 },
      hostIfname: `arc_ns${n}`,
      hostIpv4: `100.115.92.${25 + 4 * n}`,
      peerIfname: `veth${n}`,
      peerIpv4: `100.115.92.${26 + 4 * n}`,
      netnsName: `connected_netns_${n}`,
    };
  }

  async modifyPortRule(operation: 'create' | 'delete', rule: PortRule): Promise<void> {
    this.portRuleChanges.push({ operation, rule });
    if (this.failWith) throw this.failWith;
  }

  getDevices(): readonly NetworkDeviceInfo[] {
    this.getDevicesCalls++;
    if (this.failWith) throw this.failWith;
    return this.devices;
  }
}
