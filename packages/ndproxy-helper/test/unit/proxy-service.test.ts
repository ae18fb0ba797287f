import { type Envelope, NDProxyEventType } from '@patchpanel/ipc';
import pino from 'pino';
import { ProxyService } from '../../src/helper/proxy-service';
import { body, buildFrame, ipv6 } from './nd-frames';
import { type FakeHost, fakeHost } from './proxy-fakes';

function service() {
  const hosts: FakeHost[] = [];
  const sent: Envelope[] = [];
  const proxyService = new ProxyService({
    createProxy: (onEvent) => {
      const host = fakeHost(onEvent);
      hosts.push(host);
      return host.proxy;
    },
    send: (envelope) => sent.push(envelope),
    logger: pino({ level: 'silent' }),
  });
  const current = (): FakeHost => hosts[hosts.length - 1]!;
  return { proxyService, hosts, sent, current };
}

const guestNa = (target: string): Uint8Array =>
  buildFrame({ type: 136, body: body.na(ipv6(target)), src: ipv6(target), dst: ipv6('ff02::1') });

describe('ProxyService: DeviceMessages in, NDProxyMessages out', () => {
  test('start pairs the interfaces, and a guest NA becomes one ADD_ROUTE envelope', () => {
    const { proxyService, sent, current } = service();
    proxyService.apply({ action: 'start', upstream: 'eth0', guest: 'br0' });
    current().receive('br0', guestNa('2001:db8:1::7'));
    current().receive('br0', guestNa('2001:db8:1::7'));
    expect(sent).toEqual([
      { ndproxyMessage: { type: NDProxyEventType.ADD_ROUTE, ifname: 'br0', ip6addr: '2001:db8:1::7' } },
    ]);
    expect(current().sent.map((f) => f.ifname)).toEqual(['eth0', 'eth0']);
  });

  test('stop and remove-upstream end forwarding; none changes nothing', () => {
    const { proxyService, current } = service();
    proxyService.apply({ action: 'start', upstream: 'eth0', guest: 'br0' });
    proxyService.apply({ action: 'start', upstream: 'eth0', guest: 'br1' });
    proxyService.apply({ action: 'none', upstream: 'eth0' });
    proxyService.apply({ action: 'stop', upstream: 'eth0', guest: 'br0' });
    current().receive('br0', guestNa('2001:db8:1::7'));
    expect(current().sent).toEqual([]);
    current().receive('br1', guestNa('2001:db8:1::8'));
    expect(current().sent.map((f) => f.ifname)).toEqual(['eth0']);
    proxyService.apply({ action: 'remove-upstream', upstream: 'eth0' });
    current().receive('br1', guestNa('2001:db8:1::8'));
    expect(current().sent).toHaveLength(1);
  });

  test('a start naming an unknown interface is logged and the helper goes on', () => {
    const { proxyService, current } = service();
    expect(() => proxyService.apply({ action: 'start', upstream: 'eth0', guest: 'nosuch0' })).not.toThrow();
    proxyService.apply({ action: 'start', upstream: 'eth0', guest: 'br0' });
    current().receive('br0', guestNa('2001:db8:1::7'));
    expect(current().sent).toHaveLength(1);
  });

  test('reset closes the proxy and starts an empty one, which reports routes again', () => {
    const { proxyService, hosts, sent, current } = service();
    proxyService.apply({ action: 'start', upstream: 'eth0', guest: 'br0' });
    current().receive('br0', guestNa('2001:db8:1::7'));
    proxyService.reset();
    expect(hosts).toHaveLength(2);
    expect(hosts[0]!.socketsClosed()).toBe(1);
    current().receive('br0', guestNa('2001:db8:1::7'));
    expect(current().sent).toEqual([]);
    proxyService.apply({ action: 'start', upstream: 'eth0', guest: 'br0' });
    current().receive('br0', guestNa('2001:db8:1::7'));
    expect(sent).toHaveLength(2);
    proxyService.close();
    expect(current().socketsClosed()).toBe(1);
  });
});
