import { echoRoundTrip, HOST_SLAAC_IPV6, mdnsQuery } from '../../src';
import { integrationSuite } from '../../src/jest';
import { namespaceInode } from '../../src/proc';
import { createVirtualHost, type VirtualHost } from '../../src/virtual-host';

integrationSuite('standard virtual host', (ctx) => {
  let vh: VirtualHost;

  beforeAll(async () => {
    vh = await createVirtualHost(ctx.bed, {
      radvd: true,
      avahi: { services: [{ name: 'pp web', type: '_http._tcp', port: 8080, txt: ['path=/'] }] },
      echo: true,
    });
  }, 60_000);

  test('lan and host carry the documented addresses', async () => {
    expect(vh.lan.name).toBe(`${ctx.bed.prefix}-lan`);
    expect(vh.host.name).toBe(`${ctx.bed.prefix}-host`);
    expect((await vh.lan.exec(['ip', '-br', 'addr', 'show', 'lan0'])).stdout).toContain('198.51.100.1/24');
    expect((await vh.lan.exec(['ip', '-br', 'addr', 'show', 'lan0'])).stdout).toContain('2001:db8:1::1/64');
    expect((await vh.host.exec(['ip', '-br', 'addr', 'show', 'eth0'])).stdout).toContain('198.51.100.2/24');
    expect((await vh.host.exec(['ip', 'route', 'show', 'default'])).stdout).toContain(
      'via 198.51.100.1 dev eth0',
    );
    expect((await vh.lan.exec(['sysctl', '-n', 'net.ipv4.ip_forward'])).stdout.trim()).toBe('1');
    expect((await vh.host.exec(['sysctl', '-n', 'net.ipv6.conf.eth0.accept_ra'])).stdout.trim()).toBe('2');
  });

  test('ping lan <-> host over IPv4', async () => {
    await expect(vh.host.exec(['ping', '-c1', '-W2', vh.lanIpv4])).resolves.toBeDefined();
    await expect(vh.lan.exec(['ping', '-c1', '-W2', vh.hostIpv4])).resolves.toBeDefined();
  });

  test("radvd's RA gives the host its SLAAC address and a default route", async () => {
    expect(await vh.waitForHostIpv6()).toBe(HOST_SLAAC_IPV6);
    const routes = (await vh.host.exec(['ip', '-6', 'route', 'show', 'default'])).stdout;
    expect(routes).toMatch(/default via fe80::70:70ff:fe00:1 dev eth0 proto ra/);
    const rdisc = (await vh.host.exec(['rdisc6', '-1', '-w', '3000', 'eth0'])).stdout;
    expect(rdisc).toMatch(/Prefix\s+:\s+2001:db8:1::\/64/);
  });

  test('ping6 host -> lan', async () => {
    await expect(vh.host.exec(['ping', '-6', '-c1', '-W2', vh.lanIpv6])).resolves.toBeDefined();
  });

  test.each([
    ['tcp', '198.51.100.1'],
    ['udp', '198.51.100.1'],
    ['tcp', '2001:db8:1::1'],
    ['udp', '2001:db8:1::1'],
  ] as const)('echo round trip over %s to %s', async (protocol, host) => {
    const payload = `hello over ${protocol} ${host}`;
    const result = await echoRoundTrip(vh.host, { protocol, host, port: 7, payload });
    expect(result.reply).toBe(payload);
    expect(result.rttMs).toBeLessThan(5_000);
  });

  test('avahi in the lan answers an mDNS query from the host over IPv4 and IPv6', async () => {
    const v4 = await mdnsQuery(vh.host, { name: 'pp-lan.local', type: 'A', interface: 'eth0' });
    expect(v4[0]?.from).toBe(vh.lanIpv4);
    expect(v4[0]?.message.answers.map((a) => a.data)).toContainEqual({ kind: 'A', address: vh.lanIpv4 });
    const v6 = await mdnsQuery(vh.host, { name: 'pp-lan.local', type: 'AAAA', interface: 'eth0', family: 6 });
    expect(v6[0]?.message.answers.map((a) => a.data)).toContainEqual({ kind: 'AAAA', address: vh.lanIpv6 });
  });

  test('avahi publishes the static service it was given', async () => {
    const [response] = await mdnsQuery(vh.host, { name: '_http._tcp.local', type: 'PTR', interface: 'eth0' });
    expect(response?.message.answers.map((a) => a.data)).toContainEqual({
      kind: 'PTR',
      target: 'pp web._http._tcp.local',
    });
  });

  test('every lan service runs inside the lan namespace', () => {
    const lanInode = namespaceInode(vh.lan.path);
    for (const service of [vh.radvd, vh.avahi, vh.echo]) {
      expect(service).toBeDefined();
      expect(namespaceInode(`/proc/${service?.pid}/ns/net`)).toBe(lanInode);
    }
  });

  test('a stopped service is gone by pid and the rest keep running', async () => {
    const avahi = vh.avahi;
    await avahi?.stop();
    expect(vh.avahi?.process.running).toBe(false);
    await expect(
      mdnsQuery(vh.host, { name: 'pp-lan.local', interface: 'eth0', timeoutMs: 1_500 }),
    ).rejects.toMatchObject({ code: 'PP_ERR_TESTBED_COMMAND' });
    const again = await vh.startAvahi({ hostName: 'pp-lan2' });
    const answers = await mdnsQuery(vh.host, { name: 'pp-lan2.local', interface: 'eth0' });
    expect(answers[0]?.message.answers[0]?.data).toEqual({ kind: 'A', address: vh.lanIpv4 });
    expect(again.pid).not.toBe(avahi?.pid);
  });
});
