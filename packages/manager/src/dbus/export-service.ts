import * as dbus from 'dbus-next';
import type { Logger } from 'pino';
import type { NetworkDeviceInfo, PatchPanelApi } from '../api/patchpanel-api';
import { OBJECT_PATH } from './names';
import { PatchPanelInterface } from './patchpanel-interface';
import { createRequestHandlers } from './request-handlers';
import { type DeviceChange, encodeNetworkDeviceChanged } from './responses';
import { createSignatureGuard } from './signature-guard';
import { closeReceivedFd, processHasNetns } from './system-io';

export interface PatchPanelServiceOptions {
  readonly api: PatchPanelApi;
  /** The service logs through a child with `component: 'dbus'`. */
  readonly logger: Logger;
  /** Defaults to process.pid. */
  readonly ownPid?: number;
  /** Defaults to: /proc/<pid>/ns/net exists. */
  readonly pidExists?: (pid: number) => boolean;
}

export interface PatchPanelService {
  /** Broadcasts NetworkDeviceChanged to the bus. */
  emitNetworkDeviceChanged(device: NetworkDeviceInfo, change: DeviceChange): void;
  /** Stops answering: removes the object and the guard from the bus (the name stays owned). */
  unexport(): void;
}

/**
 * Exports org.chromium.PatchPanel at /org/chromium/PatchPanel on `bus`, answering with `api`. Export before
 * requesting the name, so no call can arrive before the object exists.
 */
export function exportPatchPanelService(
  bus: dbus.MessageBus,
  options: PatchPanelServiceOptions,
): PatchPanelService {
  const logger = options.logger.child({ component: 'dbus' });
  const closeFd = (fd: number) => closeReceivedFd(fd, logger);
  const handlers = createRequestHandlers({
    api: options.api,
    logger,
    checks: { ownPid: options.ownPid ?? process.pid, pidExists: options.pidExists ?? processHasNetns },
    closeFd,
  });
  const iface = new PatchPanelInterface(handlers);
  const guard = createSignatureGuard({
    logger,
    closeFd,
    reply: (call, response) => bus.send(dbus.Message.newMethodReturn(call, 'ay', [response])),
  });
  bus.addMethodHandler(guard);
  bus.export(OBJECT_PATH, iface);
  return {
    emitNetworkDeviceChanged(device, change) {
      iface.NetworkDeviceChanged(encodeNetworkDeviceChanged(device, change));
    },
    unexport() {
      bus.unexport(OBJECT_PATH, iface);
      bus.removeMethodHandler(guard);
    },
  };
}
