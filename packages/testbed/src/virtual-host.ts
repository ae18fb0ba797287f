import { InvalidArgumentError, TimeoutError } from './errors';
import type { Netns } from './netns';
import { type Avahi, type AvahiBus, type AvahiServiceRecord, startAvahi } from './services/avahi';
import { type EchoPeer, type EchoPeerOptions, startEchoPeer } from './services/echo';
import { type Radvd, startRadvd } from './services/radvd';
import type { Testbed } from './testbed';
import { HOST_SLAAC_IPV6, VIRTUAL_HOST as V } from './topology';

export interface RadvdStartOptions {
  /** Resolve only once the host's eth0 has its SLAAC address (default true). */
  readonly waitForSlaac?: boolean;
  readonly rdnss?: readonly string[];
}

export interface AvahiStartOptions {
  /** Default 'pp-lan' (answers as pp-lan.local). */
  readonly hostName?: string;
  readonly services?: readonly AvahiServiceRecord[];
  readonly reflector?: boolean;
  /** Register on this private bus (`bed.dbus()`), so avahi-browse works in the lan. */
  readonly bus?: AvahiBus;
}

export interface VirtualHostOptions {
  readonly radvd?: boolean | RadvdStartOptions;
  readonly avahi?: boolean | AvahiStartOptions;
  readonly echo?: boolean | EchoPeerOptions;
}

/** A `lan` namespace (router + peers) and a `host` namespace (where the daemon runs) joined by a veth. */
export interface VirtualHost {
  readonly bed: Testbed;
  readonly lan: Netns;
  readonly host: Netns;
  readonly lanInterface: string;
  readonly hostInterface: string;
  readonly lanMac: string;
  readonly hostMac: string;
  readonly lanIpv4: string;
  readonly hostIpv4: string;
  readonly lanIpv6: string;
  readonly ipv6Prefix: string;
  /** The host's SLAAC address once radvd runs. */
  readonly hostSlaacIpv6: string;
  readonly radvd: Radvd | undefined;
  readonly avahi: Avahi | undefined;
  readonly echo: EchoPeer | undefined;
  startRadvd(options?: RadvdStartOptions): Promise<Radvd>;
  startAvahi(options?: AvahiStartOptions): Promise<Avahi>;
  startEchoPeer(options?: EchoPeerOptions): Promise<EchoPeer>;
  /** Resolves with the host's global IPv6 address on eth0 once it is usable. */
  waitForHostIpv6(timeoutMs?: number): Promise<string>;
}

interface AddrInfo {
  readonly family?: string;
  readonly local?: string;
  readonly scope?: string;
  readonly tentative?: boolean;
}

/** Global, non-tentative IPv6 addresses in `ip -j addr show` output. */
export function globalIpv6Addresses(ipJson: string): string[] {
  const links = JSON.parse(ipJson) as { addr_info?: AddrInfo[] }[];
  return links
    .flatMap((link) => link.addr_info ?? [])
    .filter(
      (a) => a.family === 'inet6' && a.scope === 'global' && a.tentative !== true && a.local !== undefined,
    )
    .map((a) => a.local as string);
}

class StandardVirtualHost implements VirtualHost {
  readonly lanInterface = V.lanInterface;
  readonly hostInterface = V.hostInterface;
  readonly lanMac = V.lanMac;
  readonly hostMac = V.hostMac;
  readonly lanIpv4 = V.lanIpv4;
  readonly hostIpv4 = V.hostIpv4;
  readonly lanIpv6 = V.lanIpv6;
  readonly ipv6Prefix = V.ipv6Prefix;
  readonly hostSlaacIpv6 = HOST_SLAAC_IPV6;
  radvd: Radvd | undefined;
  avahi: Avahi | undefined;
  echo: EchoPeer | undefined;

  constructor(
    readonly bed: Testbed,
    readonly lan: Netns,
    readonly host: Netns,
  ) {}

  async startRadvd(options: RadvdStartOptions = {}): Promise<Radvd> {
    if (this.radvd?.process.running) throw new InvalidArgumentError('radvd already runs in the lan');
    const config = { interface: V.lanInterface, prefix: V.ipv6Prefix, rdnss: options.rdnss };
    this.radvd = await startRadvd(this.bed, this.lan, config);
    if (options.waitForSlaac ?? true) await this.waitForHostIpv6();
    return this.radvd;
  }

  async startAvahi(options: AvahiStartOptions = {}): Promise<Avahi> {
    if (this.avahi?.process.running) throw new InvalidArgumentError('avahi already runs in the lan');
    const hostName = options.hostName ?? V.avahiHostName;
    const config = { hostName, interfaces: [V.lanInterface], reflector: options.reflector, bus: options.bus };
    this.avahi = await startAvahi(this.bed, this.lan, config, options.services);
    return this.avahi;
  }

  async startEchoPeer(options: EchoPeerOptions = {}): Promise<EchoPeer> {
    this.echo = await startEchoPeer(this.bed, this.lan, options);
    return this.echo;
  }

  async waitForHostIpv6(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { stdout } = await this.host.exec(['ip', '-j', '-6', 'addr', 'show', 'dev', V.hostInterface]);
      const address = globalIpv6Addresses(stdout)[0];
      if (address !== undefined) return address;
      if (Date.now() > deadline)
        throw new TimeoutError(`no global IPv6 address on host eth0 after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function wire(bed: Testbed, lan: Netns, host: Netns): Promise<void> {
  // Interfaces inherit `default` settings when created, so set them before the veth exists.
  await lan.sysctl({
    'net.ipv4.ip_forward': 1,
    'net.ipv6.conf.all.forwarding': 1,
    'net.ipv6.conf.default.accept_dad': 0,
  });
  await host.sysctl({ 'net.ipv6.conf.default.accept_dad': 0, 'net.ipv6.conf.default.accept_ra': 2 });
  await bed.veth(lan, V.lanInterface, host, V.hostInterface, { aMac: V.lanMac, bMac: V.hostMac });
  // The daemon turns forwarding on in the host later; accept_ra=2 keeps SLAAC working then.
  await host.sysctl({ [`net.ipv6.conf.${V.hostInterface}.accept_ra`]: 2 });
  const cidr4 = (address: string): string => `${address}/${V.ipv4PrefixLength}`;
  await lan.exec(['ip', 'addr', 'add', cidr4(V.lanIpv4), 'dev', V.lanInterface]);
  await lan.exec(['ip', 'addr', 'add', `${V.lanIpv6}/64`, 'dev', V.lanInterface, 'nodad']);
  await host.exec(['ip', 'addr', 'add', cidr4(V.hostIpv4), 'dev', V.hostInterface]);
  await host.exec(['ip', 'route', 'add', 'default', 'via', V.lanIpv4, 'dev', V.hostInterface]);
}

/** Builds the standard virtual host in `bed` and starts the services asked for (all in the lan). */
export async function createVirtualHost(
  bed: Testbed,
  options: VirtualHostOptions = {},
): Promise<VirtualHost> {
  const lan = await bed.netns('lan');
  const host = await bed.netns('host');
  await wire(bed, lan, host);
  const vh = new StandardVirtualHost(bed, lan, host);
  const chosen = <T extends object>(option: boolean | T | undefined): T | undefined =>
    option === undefined || option === false ? undefined : option === true ? ({} as T) : option;
  const radvd = chosen(options.radvd);
  const avahi = chosen(options.avahi);
  const echo = chosen(options.echo);
  await Promise.all([
    radvd && vh.startRadvd(radvd),
    avahi && vh.startAvahi(avahi),
    echo && vh.startEchoPeer(echo),
  ]);
  return vh;
}
