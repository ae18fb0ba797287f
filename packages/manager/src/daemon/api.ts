import type { NetworkDeviceInfo, PatchPanelApi } from '../api/patchpanel-api';
import type { ConnectedNamespaces } from '../guests/connected-namespaces';
import type { PortRules } from '../guests/port-rules';

/**
 * Routes D-Bus calls to the services. Calls that arrive after the name is owned but before the datapath has
 * finished starting wait for it, so no request ever sees a half-started daemon.
 */
export function createApi(services: {
  readonly ready: Promise<void>;
  readonly namespaces: ConnectedNamespaces;
  readonly portRules: PortRules;
}): PatchPanelApi {
  const { ready, namespaces, portRules } = services;
  return {
    async connectNamespace(request) {
      await ready;
      return namespaces.connect(request);
    },
    async modifyPortRule(operation, rule) {
      await ready;
      await (operation === 'create' ? portRules.create(rule) : portRules.delete(rule));
    },
    getDevices(): readonly NetworkDeviceInfo[] {
      // Guests with devices (ARC, VMs) arrive with their own issue; connected namespaces are not devices.
      return [];
    },
  };
}
