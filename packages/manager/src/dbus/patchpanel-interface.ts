import * as dbus from 'dbus-next';
import { INTERFACE_NAME, METHOD_SIGNATURES } from './names';
import type { RequestHandlers } from './request-handlers';

/**
 * org.chromium.PatchPanel as dbus-next exports it: the implemented methods route to the request handlers,
 * and calling NetworkDeviceChanged(bytes) emits that signal. The method names are the D-Bus member names.
 */
export class PatchPanelInterface extends dbus.interface.Interface {
  constructor(private readonly handlers: RequestHandlers) {
    super(INTERFACE_NAME);
  }

  ConnectNamespace(request: Buffer, fd: number): Promise<Buffer> {
    return this.handlers.connectNamespace(request, fd);
  }

  ModifyPortRule(request: Buffer): Promise<Buffer> {
    return this.handlers.modifyPortRule(request);
  }

  GetDevices(request: Buffer): Buffer {
    return this.handlers.getDevices(request);
  }

  /** Emits the signal with `signal` (a serialized NetworkDeviceChangedSignal) as its `ay`. */
  NetworkDeviceChanged(signal: Buffer): Buffer {
    return signal;
  }
}

PatchPanelInterface.configureMembers({
  methods: {
    ConnectNamespace: { inSignature: METHOD_SIGNATURES.ConnectNamespace, outSignature: 'ay' },
    ModifyPortRule: { inSignature: METHOD_SIGNATURES.ModifyPortRule, outSignature: 'ay' },
    GetDevices: { inSignature: METHOD_SIGNATURES.GetDevices, outSignature: 'ay' },
  },
  signals: { NetworkDeviceChanged: { signature: 'ay' } },
});
