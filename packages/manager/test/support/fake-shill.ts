import * as dbus from 'dbus-next';

const SHILL = 'org.chromium.flimflam';

/** One shill object: GetProperties (a{sv}) and the PropertyChanged (sv) signal, on any shill interface. */
class ShillObject extends dbus.interface.Interface {
  readonly properties = new Map<string, dbus.Variant>();

  GetProperties(): Record<string, dbus.Variant> {
    return Object.fromEntries(this.properties);
  }

  PropertyChanged(name: string, value: dbus.Variant): [string, dbus.Variant] {
    return [name, value];
  }

  set(name: string, value: dbus.Variant): void {
    this.properties.set(name, value);
    this.PropertyChanged(name, value);
  }
}

ShillObject.configureMembers({
  methods: { GetProperties: { inSignature: '', outSignature: 'a{sv}' } },
  signals: { PropertyChanged: { signature: 'sv' } },
});

export interface FakeService {
  readonly type: string;
  /** Interface name of the service's device (added with addDevice, listed or not, e.g. a VPN's tun). */
  readonly device: string;
  readonly connected: boolean;
}

/**
 * A small stand-in for shill on a private bus: the Manager at `/` (Devices, DefaultService,
 * ConnectionState), Devices at `/device/<ifname>` (Interface, Type) and Services at `/service/<id>`
 * (IsConnected, Type, Device), each answering GetProperties and emitting PropertyChanged on every change.
 */
export class FakeShill {
  private readonly manager = new ShillObject(`${SHILL}.Manager`);
  private readonly devices = new Map<string, ShillObject>();
  private readonly services = new Map<string, ShillObject>();

  private constructor(private readonly bus: dbus.MessageBus) {
    this.manager.properties.set('Devices', new dbus.Variant('ao', []));
    this.manager.properties.set('DefaultService', new dbus.Variant('o', '/'));
    this.manager.properties.set('ConnectionState', new dbus.Variant('s', 'idle'));
    bus.export('/', this.manager);
  }

  /** Connects to the bus and takes `org.chromium.flimflam` (the bus must let this uid own it). */
  static async start(busAddress: string): Promise<FakeShill> {
    const bus = dbus.sessionBus({ busAddress });
    const reply = await bus.requestName(SHILL, dbus.NameFlag.DO_NOT_QUEUE);
    if (reply !== dbus.RequestNameReply.PRIMARY_OWNER) throw new Error(`${SHILL} is taken (${reply})`);
    return new FakeShill(bus);
  }

  /** Exports a Device at `/device/<ifname>`; listDevices makes the Manager name it. */
  addDevice(ifname: string, type: string): void {
    const object = new ShillObject(`${SHILL}.Device`);
    object.properties.set('Interface', new dbus.Variant('s', ifname));
    object.properties.set('Type', new dbus.Variant('s', type));
    this.bus.export(devicePath(ifname), object);
    this.devices.set(ifname, object);
  }

  removeDevice(ifname: string): void {
    const object = this.devices.get(ifname);
    if (object) this.bus.unexport(devicePath(ifname), object);
    this.devices.delete(ifname);
  }

  /** Sets the Manager's Devices to these devices' paths and emits it. */
  listDevices(ifnames: readonly string[]): void {
    this.manager.set('Devices', new dbus.Variant('ao', ifnames.map(devicePath)));
  }

  /** Changes a device's Interface property (as shill does when the kernel renames it). */
  setDeviceInterface(pathIfname: string, ifname: string): void {
    this.devices.get(pathIfname)?.set('Interface', new dbus.Variant('s', ifname));
  }

  /** Exports `/service/<id>` whose Device is `/device/<device>`. */
  addService(id: string, service: FakeService): void {
    const object = new ShillObject(`${SHILL}.Service`);
    object.properties.set('IsConnected', new dbus.Variant('b', service.connected));
    object.properties.set('Type', new dbus.Variant('s', service.type));
    object.properties.set('Device', new dbus.Variant('o', devicePath(service.device)));
    this.bus.export(servicePath(id), object);
    this.services.set(id, object);
  }

  setServiceConnected(id: string, connected: boolean): void {
    this.services.get(id)?.set('IsConnected', new dbus.Variant('b', connected));
  }

  /** Sets DefaultService (`undefined` → `/`) and emits it, as shill does when the best service changes. */
  setDefaultService(id: string | undefined): void {
    this.manager.set('DefaultService', new dbus.Variant('o', id === undefined ? '/' : servicePath(id)));
  }

  setConnectionState(state: string): void {
    this.manager.set('ConnectionState', new dbus.Variant('s', state));
  }

  async stop(): Promise<void> {
    await this.bus.releaseName(SHILL).catch(() => undefined);
    this.bus.disconnect();
  }
}

function devicePath(ifname: string): string {
  return `/device/${ifname}`;
}

function servicePath(id: string): string {
  return `/service/${id}`;
}
