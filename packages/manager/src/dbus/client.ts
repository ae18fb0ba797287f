import { closeSync } from 'node:fs';
import * as dbus from 'dbus-next';
import type { NetworkDeviceInfo, PortRule } from '../api/patchpanel-api';
import { DbusCallError, RequestRefusedError, UndecodableResponseError } from './errors';
import { createLifelinePipe } from './lifeline-pipe';
import {
  INTERFACE_NAME,
  METHOD_SIGNATURES,
  type MethodName,
  NETWORK_DEVICE_CHANGED,
  OBJECT_PATH,
  SERVICE_NAME,
} from './names';
import {
  type ConnectNamespaceOptions,
  encodeConnectNamespaceRequest,
  encodeGetDevicesRequest,
  encodeModifyPortRuleRequest,
} from './request-encoders';
import {
  decodeConnectNamespaceResponse,
  decodeGetDevicesResponse,
  decodeModifyPortRuleResponse,
  decodeNetworkDeviceChanged,
  type NamespaceConnection,
  type NetworkDeviceChange,
} from './response-decoders';
import { SYSTEM_BUS_ADDRESS } from './service-bus';
import type { PortRuleOperation } from './validate-port-rule';

export interface ConnectedNamespaceLease {
  readonly connection: NamespaceConnection;
  /** The read end of the lifeline pipe: close it (or exit) and the daemon disconnects the namespace. */
  readonly lifelineFd: number;
}

/** A typed client of org.chromium.PatchPanel, speaking the same bytes as the ChromeOS clients. */
export class PatchPanelClient {
  constructor(private readonly bus: dbus.MessageBus) {}

  /** Connects with fd passing to `busAddress`, or $DBUS_SYSTEM_BUS_ADDRESS, or the system bus. */
  static connect(busAddress?: string): PatchPanelClient {
    const address = busAddress ?? process.env.DBUS_SYSTEM_BUS_ADDRESS ?? SYSTEM_BUS_ADDRESS;
    return new PatchPanelClient(
      dbus.sessionBus({ busAddress: address, negotiateUnixFd: true } as dbus.SessionBusOptions),
    );
  }

  /** One method call with its proper signature: the serialized request (and the fd for ConnectNamespace). */
  async call(method: MethodName, request: Uint8Array, fd?: number): Promise<Buffer> {
    const body: unknown[] = fd === undefined ? [Buffer.from(request)] : [Buffer.from(request), fd];
    const message = new dbus.Message({
      destination: SERVICE_NAME,
      path: OBJECT_PATH,
      interface: INTERFACE_NAME,
      member: method,
      signature: METHOD_SIGNATURES[method],
      body,
    });
    let reply: dbus.Message | null;
    try {
      reply = await this.bus.call(message);
    } catch (cause) {
      const name = cause instanceof dbus.DBusError ? cause.type : undefined;
      throw new DbusCallError(`${method} failed${name ? `: ${name}` : ''}`, name, { cause });
    }
    const bytes = reply?.body?.[0];
    if (!Buffer.isBuffer(bytes)) throw new UndecodableResponseError(`${method} returned no ay`);
    return bytes;
  }

  /** Hands the daemon the write end of a new pipe and returns the read end as the lifeline (spec §2.5). */
  async connectNamespace(options: ConnectNamespaceOptions): Promise<ConnectedNamespaceLease> {
    const pipe = await createLifelinePipe();
    try {
      const response = await this.call(
        'ConnectNamespace',
        encodeConnectNamespaceRequest(options),
        pipe.writeFd,
      );
      const connection = decodeConnectNamespaceResponse(response);
      if (connection === undefined) {
        throw new RequestRefusedError(`ConnectNamespace for pid ${options.pid} was refused`);
      }
      return { connection, lifelineFd: pipe.readFd };
    } catch (err) {
      closeSync(pipe.readFd);
      throw err;
    } finally {
      closeSync(pipe.writeFd);
    }
  }

  async modifyPortRule(operation: PortRuleOperation, rule: PortRule): Promise<void> {
    const response = await this.call('ModifyPortRule', encodeModifyPortRuleRequest(operation, rule));
    if (!decodeModifyPortRuleResponse(response)) {
      throw new RequestRefusedError(`ModifyPortRule ${operation} ${rule.type} was refused`);
    }
  }

  async getDevices(): Promise<NetworkDeviceInfo[]> {
    return decodeGetDevicesResponse(await this.call('GetDevices', encodeGetDevicesRequest()));
  }

  /** Delivers each NetworkDeviceChanged signal; resolves once subscribed, to a function that unsubscribes. */
  async onNetworkDeviceChanged(
    listener: (change: NetworkDeviceChange) => void,
  ): Promise<() => Promise<void>> {
    const rule = `type='signal',sender='${SERVICE_NAME}',path='${OBJECT_PATH}',interface='${INTERFACE_NAME}',member='${NETWORK_DEVICE_CHANGED}'`;
    const onMessage = (message: dbus.Message) => {
      if (message.type !== dbus.MessageType.SIGNAL || message.interface !== INTERFACE_NAME) return;
      if (message.member !== NETWORK_DEVICE_CHANGED || !Buffer.isBuffer(message.body?.[0])) return;
      listener(decodeNetworkDeviceChanged(message.body[0]));
    };
    this.bus.on('message', onMessage);
    await this.busCall('AddMatch', rule);
    return async () => {
      this.bus.removeListener('message', onMessage);
      await this.busCall('RemoveMatch', rule);
    };
  }

  disconnect(): void {
    this.bus.disconnect();
  }

  private async busCall(member: string, rule: string): Promise<void> {
    const message = new dbus.Message({
      destination: 'org.freedesktop.DBus',
      path: '/org/freedesktop/DBus',
      interface: 'org.freedesktop.DBus',
      member,
      signature: 's',
      body: [rule],
    });
    await this.bus.call(message);
  }
}
