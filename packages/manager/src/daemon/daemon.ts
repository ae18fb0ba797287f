import { readFile } from 'node:fs/promises';
import { deviceEnvelope } from '@patchpanel/ipc';
import type { MessageBus } from 'dbus-next';
import type { Logger } from 'pino';
import { AdbPolicy } from '../adb/adb-policy';
import { MacAddressGenerator } from '../addressing/mac-address';
import { SubnetPool, standardPools } from '../addressing/subnet-pool';
import type { DaemonConfig } from '../config/daemon-config';
import {
  buildBaseRuleSet,
  createFirewall,
  DEFAULT_PHYSICAL_PREFIXES,
  defaultFirewallBackend,
  GUEST_NETWORK,
  type LocalSource,
  selectFirewallStore,
} from '../datapath/firewall';
import { LinkDeleter } from '../datapath/links/link-deleter';
import { linkIsMulticast } from '../datapath/links/link-lookup';
import { Rtnetlink } from '../datapath/links/rtnetlink';
import { applySysctls, datapathSysctls } from '../datapath/sysctls';
import { exportPatchPanelService } from '../dbus/export-service';
import { claimServiceName } from '../dbus/service-bus';
import { type DeviceBackend, netlinkBackend, selectDeviceBackend, shillBackend } from '../devices';
import type { BusError } from '../errors';
import { GuestIpv6Service, GuestMulticastService, systemGuestIpv6Kernel } from '../forwarding';
import { ConnectedNamespaces } from '../guests/connected-namespaces';
import type { LifelineWatcher } from '../guests/lifeline';
import { NetnsNames } from '../guests/netns-names';
import { PortRules } from '../guests/port-rules';
import { helperCatalog } from '../helpers/helper-catalog';
import { findUser, resolveHelperIdentity } from '../helpers/identity';
import { selectJail } from '../helpers/jail/select-jail';
import { HelperSupervisor } from '../helpers/supervisor';
import { createApi } from './api';
import { Shutdown } from './shutdown';

export interface DaemonComponents {
  readonly config: DaemonConfig;
  readonly logger: Logger;
  readonly lifelines: LifelineWatcher;
  /** Called once if the daemon cannot go on (the bus went away). */
  readonly onFatal: (error: BusError) => void;
}

export interface Daemon {
  /** Which implementation serves each concern, for the ready log line. */
  readonly backends: { readonly jail: string; readonly firewall: string; readonly devices: string };
  /** Removes everything the daemon added, in reverse order, collecting errors. */
  stop(): Promise<void>;
}

function localSources(config: DaemonConfig, passwd: string): LocalSource[] {
  return config.localSources.flatMap(({ user, source, routeOnVpn }) => {
    const found = findUser(user, passwd);
    return found === undefined ? [] : [{ uid: found.uid, source, routeOnVpn }];
  });
}

/** The adb-proxy's part of the `adb` section: everything but the policy, which the manager decides. */
function adbProxyConfig(config: DaemonConfig): object {
  const { allowed: _policy, ...proxy } = config.adb;
  return proxy;
}

function deviceBackend(config: DaemonConfig, bus: MessageBus, logger: Logger): Promise<DeviceBackend> {
  const log = logger.child({ component: 'devices' });
  const { backend, patterns } = config.devices;
  if (backend === 'netlink') return Promise.resolve(netlinkBackend({ logger: log, patterns }));
  if (backend === 'shill') return Promise.resolve(shillBackend({ bus, logger: log }));
  return selectDeviceBackend({ bus, logger: log, patterns });
}

/**
 * Wires the daemon. The bus name is taken before anything touches the kernel, so a second daemon fails
 * without disturbing the first; the service is exported before the name is requested and its calls wait
 * until the datapath is up.
 */
export async function startDaemon(components: DaemonComponents): Promise<Daemon> {
  const { config, logger, lifelines } = components;
  const passwd = await readFile('/etc/passwd', 'utf8');
  const jail = await selectJail(config.jail);
  const identity = await resolveHelperIdentity(config.helperUser);
  const firewallBackend =
    config.firewall.backend ?? (await defaultFirewallBackend({ chromeOs: jail.kind === 'minijail' }));
  const firewall = createFirewall({
    store: selectFirewallStore({ kind: firewallBackend }, logger),
    log: logger.child({ component: 'firewall' }),
  });
  let devices: DeviceBackend | undefined;
  const host = Rtnetlink.open({ pid: process.pid });
  const view = () => ({
    devices: devices?.source.devices() ?? [],
    defaultDevice: devices?.source.defaultDevice(),
  });
  const ipv6 = new GuestIpv6Service({
    kernel: systemGuestIpv6Kernel(host),
    view,
    sendToProxy: (change) => supervisor.send('ndproxy-helper', deviceEnvelope(change)),
    log: logger,
  });
  const multicast = new GuestMulticastService({
    isMulticast: (ifname) => linkIsMulticast(host, ifname),
    view,
    sendToForwarder: (change) => supervisor.send('mcast-helper', deviceEnvelope(change)),
    log: logger,
  });
  const forwarding = [
    ...(config.connectedNamespaces.ipv6 ? [ipv6] : []),
    ...(config.connectedNamespaces.multicast ? [multicast] : []),
  ];
  const links = await LinkDeleter.start();
  const namespaces = new ConnectedNamespaces({
    host,
    links,
    firewall,
    pool: new SubnetPool({ ...standardPools.connectedNamespace, ...config.connectedNamespaces.pool }),
    macs: new MacAddressGenerator(),
    netnsNames: new NetnsNames(config.connectedNamespaces.netnsPrefix),
    lifelines,
    outboundDevice: (ifname) => devices?.source.device(ifname),
    forwarding,
    log: logger,
  });
  const portRules = new PortRules({
    firewall,
    lockdownExemptUid: findUser(config.lockdownExemptUser, passwd)?.uid,
    log: logger,
  });
  const supervisor = new HelperSupervisor({
    specs: helperCatalog({ adbProxyConfig: adbProxyConfig(config) }),
    jail,
    identity,
    logger,
    backoff: config.restart,
    readyTimeoutMs: config.helperReadyTimeoutMs,
    helperLogLevel: config.logLevel,
    handlers: { 'ndproxy-helper': { ndproxyMessage: (message) => ipv6.onReport(message) } },
  });
  let markReady = () => {};
  const api = createApi({ ready: new Promise((resolve) => (markReady = resolve)), namespaces, portRules });

  const shutdown = new Shutdown(logger);
  shutdown.push('link deleter', () => links.close());
  const bus = await claimServiceName(config.busAddress, components.onFatal, (connection) => {
    const service = exportPatchPanelService(connection, { api, logger });
    shutdown.push('D-Bus service', () => service.unexport());
  });
  try {
    const restoreSysctls = await applySysctls(datapathSysctls);
    shutdown.push('sysctls', restoreSysctls);
    await firewall.start(
      buildBaseRuleSet({
        guestNetwork: GUEST_NETWORK,
        physicalPrefixes: DEFAULT_PHYSICAL_PREFIXES,
        localSources: localSources(config, passwd),
        vpnIfindex: undefined,
      }),
    );
    shutdown.push('firewall', () => firewall.stop());
    await namespaces.sweep();
    devices = await deviceBackend(config, bus, logger);
    const unsubscribe = devices.source.onChange(() => {
      for (const service of forwarding) service.reconcile();
    });
    await devices.start();
    shutdown.push('devices', () => devices?.stop());
    shutdown.push('port rules', () => portRules.stop());
    shutdown.push('guest forwarding', () => {
      unsubscribe();
      for (const service of forwarding) service.stop();
    });
    shutdown.push('connected namespaces', () => namespaces.stop());
    await supervisor.start();
    shutdown.push('helpers', () => supervisor.stop());
    const adbPolicy = new AdbPolicy({
      setting: config.adb.allowed,
      bus,
      send: (allowed) => supervisor.send('adb-proxy', { adbPolicyMessage: { allowed } }),
      log: logger,
    });
    adbPolicy.start();
    shutdown.push('ADB policy', () => adbPolicy.stop());
  } catch (err) {
    await shutdown
      .run()
      .catch((cleanup: unknown) => logger.error({ err: cleanup }, 'cleanup after a failed start'));
    throw err;
  }
  markReady();
  return {
    backends: { jail: jail.kind, firewall: firewallBackend, devices: devices.kind },
    stop: () => shutdown.run(),
  };
}
