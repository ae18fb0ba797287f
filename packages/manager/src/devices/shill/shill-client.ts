import type { ClientInterface, MessageBus } from 'dbus-next';
import type { Logger } from 'pino';
import { ShillError } from '../errors';
import {
  type DeviceProperties,
  type ManagerProperties,
  parseDeviceProperties,
  parseManagerProperties,
  parseServiceProperties,
  type ServiceProperties,
  SHILL_DEVICE_INTERFACE,
  SHILL_MANAGER_INTERFACE,
  SHILL_MANAGER_PATH,
  SHILL_PROPERTY_CHANGED,
  SHILL_SERVICE,
  SHILL_SERVICE_INTERFACE,
  unwrapVariant,
} from './shill-properties';

const CALL_TIMEOUT_MS = 5_000;

export type PropertyListener = (name: string, value: unknown) => void;

/** Calls to shill's Manager, Service and Device objects over D-Bus, and their PropertyChanged signals. */
export class ShillClient {
  private readonly proxies = new Map<string, Promise<ClientInterface>>();

  constructor(
    private readonly bus: MessageBus,
    private readonly logger: Logger,
  ) {}

  async managerProperties(): Promise<ManagerProperties> {
    return parseManagerProperties(await this.properties(SHILL_MANAGER_PATH, SHILL_MANAGER_INTERFACE));
  }

  async serviceProperties(path: string): Promise<ServiceProperties> {
    return parseServiceProperties(await this.properties(path, SHILL_SERVICE_INTERFACE));
  }

  async deviceProperties(path: string): Promise<DeviceProperties> {
    return parseDeviceProperties(await this.properties(path, SHILL_DEVICE_INTERFACE));
  }

  /** Subscribes to PropertyChanged of one object; resolves with the function that unsubscribes. */
  async watch(path: string, interfaceName: string, listener: PropertyListener): Promise<() => void> {
    let proxy: ClientInterface;
    try {
      proxy = await this.proxy(path, interfaceName);
    } catch (err) {
      throw new ShillError(`cannot watch ${path} (${interfaceName})`, { cause: err });
    }
    // A throw would escape into dbus-next's message dispatch: nothing leaves this handler.
    const handler = (name: unknown, value: unknown) => {
      try {
        if (typeof name === 'string') listener(name, unwrapVariant(value));
      } catch (err) {
        this.logger.error({ err, path, property: name }, 'shill property listener failed');
      }
    };
    proxy.on(SHILL_PROPERTY_CHANGED, handler);
    return () => {
      proxy.removeListener(SHILL_PROPERTY_CHANGED, handler);
    };
  }

  /** Forgets the proxy of an object that went away. */
  forget(path: string, interfaceName: string): void {
    this.proxies.delete(`${path} ${interfaceName}`);
  }

  private proxy(path: string, interfaceName: string): Promise<ClientInterface> {
    const key = `${path} ${interfaceName}`;
    let proxy = this.proxies.get(key);
    if (proxy === undefined) {
      proxy = withTimeout(`introspect ${path}`, this.bus.getProxyObject(SHILL_SERVICE, path)).then((object) =>
        object.getInterface(interfaceName),
      );
      this.proxies.set(key, proxy);
      proxy.catch(() => this.proxies.delete(key));
    }
    return proxy;
  }

  private async properties(path: string, interfaceName: string): Promise<Record<string, unknown>> {
    try {
      const proxy = await this.proxy(path, interfaceName);
      const getProperties = proxy.GetProperties;
      if (getProperties === undefined) throw new ShillError(`${path} has no GetProperties`);
      const result: unknown = await withTimeout(`GetProperties ${path}`, getProperties.call(proxy));
      if (typeof result !== 'object' || result === null)
        throw new ShillError(`${path}: properties not a dict`);
      return result as Record<string, unknown>;
    } catch (err) {
      if (err instanceof ShillError) throw err;
      throw new ShillError(`cannot read the properties of ${path} (${interfaceName})`, { cause: err });
    }
  }
}

function withTimeout<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ShillError(`${what}: no answer from shill in ${CALL_TIMEOUT_MS} ms`)),
      CALL_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
