import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PrivateBus } from '../dbus';
import { InvalidArgumentError, ProcessExitedError } from '../errors';
import { signalProcess } from '../kill';
import { assertInterfaceName, assertPort } from '../names';
import type { Netns } from '../netns';
import { findChildren } from '../proc';
import type { TrackedProcess } from '../processes';
import type { Testbed } from '../testbed';
import { escapeXml } from '../xml';
import type { Service } from './service';

export interface AvahiConfig {
  /** Published as `<hostName>.local`. */
  readonly hostName: string;
  /** The only interfaces avahi uses (allow-interfaces). */
  readonly interfaces: readonly string[];
  readonly ipv4?: boolean;
  readonly ipv6?: boolean;
  /** avahi's own reflector, a peer to compare the project's mDNS forwarder with. */
  readonly reflector?: boolean;
  /**
   * A private bus (`bed.dbus()`) to register on as org.freedesktop.Avahi, so that avahi-browse and other
   * clients work (see avahiBrowse). One avahi per bus: the name can have only one owner. Default: no D-Bus.
   */
  readonly bus?: AvahiBus;
}

/** What avahi needs of a PrivateBus. */
export type AvahiBus = Pick<PrivateBus, 'address' | 'socketPath'>;

/** A static service record (/etc/avahi/services/*.service). */
export interface AvahiServiceRecord {
  readonly name: string;
  /** e.g. '_http._tcp' */
  readonly type: string;
  readonly port: number;
  readonly txt?: readonly string[];
}

export interface Avahi extends Service {
  readonly hostName: string;
  /** '<hostName>.local' */
  readonly fqdn: string;
  readonly configDir: string;
  /** bwrap, whose child is the daemon (`pid`). */
  readonly process: TrackedProcess;
}

const HOST_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;
const yesNo = (flag: boolean): string => (flag ? 'yes' : 'no');

export function renderAvahiConfig(config: AvahiConfig): string {
  if (!HOST_NAME_PATTERN.test(config.hostName)) {
    throw new InvalidArgumentError(`avahi host name ${JSON.stringify(config.hostName)} is not a DNS label`);
  }
  for (const name of config.interfaces) assertInterfaceName(name);
  return [
    '[server]',
    `host-name=${config.hostName}`,
    'domain-name=local',
    `use-ipv4=${yesNo(config.ipv4 ?? true)}`,
    `use-ipv6=${yesNo(config.ipv6 ?? true)}`,
    `allow-interfaces=${config.interfaces.join(',')}`,
    `enable-dbus=${yesNo(config.bus !== undefined)}`,
    'ratelimit-interval-usec=1000000',
    'ratelimit-burst=1000',
    '',
    '[wide-area]',
    'enable-wide-area=no',
    '',
    '[publish]',
    'publish-hinfo=no',
    'publish-workstation=no',
    '',
    '[reflector]',
    `enable-reflector=${yesNo(config.reflector ?? false)}`,
    '',
  ].join('\n');
}

export function renderServiceFile(record: AvahiServiceRecord): string {
  assertPort(record.port);
  const txt = (record.txt ?? []).map((entry) => `    <txt-record>${escapeXml(entry)}</txt-record>`);
  return [
    '<?xml version="1.0" standalone="no"?>',
    '<!DOCTYPE service-group SYSTEM "avahi-service.dtd">',
    '<service-group>',
    `  <name>${escapeXml(record.name)}</name>`,
    '  <service>',
    `    <type>${escapeXml(record.type)}</type>`,
    `    <port>${record.port}</port>`,
    ...txt,
    '  </service>',
    '</service-group>',
    '',
  ].join('\n');
}

function writeConfigDir(dir: string, config: AvahiConfig, services: readonly AvahiServiceRecord[]): void {
  mkdirSync(`${dir}/services`, { recursive: true });
  writeFileSync(`${dir}/avahi-daemon.conf`, renderAvahiConfig(config));
  writeFileSync(`${dir}/hosts`, '');
  services.forEach((record, i) => {
    writeFileSync(`${dir}/services/${i}.service`, renderServiceFile(record));
  });
}

/**
 * bwrap's options: a private mount namespace with a tmpfs over /run (avahi keeps its pid file and socket in
 * /run/avahi-daemon, fixed at build time, so no clash with any other avahi) and the run's config directory
 * over /etc/avahi. With a bus, its socket's directory (under /run too) is bound back in after the tmpfs and
 * the daemon gets the bus address in DBUS_SYSTEM_BUS_ADDRESS.
 */
export function avahiSandboxArgs(configDir: string, bus?: AvahiBus): string[] {
  return [
    ...['--dev-bind', '/', '/', '--tmpfs', '/run'],
    ...(bus === undefined ? [] : busArgs(bus)),
    ...['--ro-bind', configDir, '/etc/avahi', '--die-with-parent'],
  ];
}

function busArgs(bus: AvahiBus): string[] {
  const dir = dirname(bus.socketPath);
  return ['--bind', dir, dir, '--setenv', 'DBUS_SYSTEM_BUS_ADDRESS', bus.address];
}

/** avahi-daemon in `ns` (under bwrap, see avahiSandboxArgs): foreground, root, no chroot, no rlimits. */
export async function startAvahi(
  bed: Testbed,
  ns: Netns,
  config: AvahiConfig,
  services: readonly AvahiServiceRecord[] = [],
): Promise<Avahi> {
  const configDir = `${bed.runDir}/avahi-${ns.name}`;
  writeConfigDir(configDir, config, services);
  const argv = [
    'bwrap',
    ...avahiSandboxArgs(configDir, config.bus),
    '--',
    ...['avahi-daemon', '--no-drop-root', '--no-chroot', '--no-rlimits', '--no-proc-title'],
  ];
  const bwrap = await bed.spawn(ns, argv, { ready: { stderr: /Server startup complete/ } });
  const daemon = findChildren(bwrap.pid)[0];
  if (daemon === undefined) {
    await bwrap.stop();
    throw new ProcessExitedError(argv, bwrap.output(), 'avahi-daemon is not running under bwrap');
  }
  const stop = async (): Promise<void> => {
    signalProcess(daemon, 'SIGTERM'); // bwrap exits with its child
    const timer = new Promise((resolve) => setTimeout(resolve, 2_000).unref());
    await Promise.race([bwrap.exited, timer]);
    await bwrap.stop();
  };
  bed.onTeardown(stop); // the daemon first, so that bwrap reaps it
  return {
    pid: daemon.pid,
    hostName: config.hostName,
    fqdn: `${config.hostName}.local`,
    configDir,
    process: bwrap,
    stop,
  };
}
