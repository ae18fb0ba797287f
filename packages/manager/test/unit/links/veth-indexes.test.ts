import type { rt } from 'netlink';
import { echoedVethIndexes } from '../../../src/datapath/links/namespace-link';

const u32 = (n: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(n);
  return out;
};
const linkMessage = (index: number | undefined, attrs: Record<string, unknown>) =>
  ({ kind: 'link', data: { index }, attrs }) as unknown as rt.Message;

describe('the indexes of a new veth from the kernel echo', () => {
  test('the host end from its message, the peer from its IFLA_LINK', () => {
    const echo = linkMessage(7, { ifname: 'arc_ns3', link: u32(2) });
    expect(echoedVethIndexes([echo], 'arc_ns3')).toEqual({ host: 7, peer: 2 });
  });

  test('no echo (kernels before 6.2), another link, or a message without a peer: undefined', () => {
    expect(echoedVethIndexes([], 'arc_ns3')).toBeUndefined();
    expect(
      echoedVethIndexes([linkMessage(7, { ifname: 'arc_ns4', link: u32(2) })], 'arc_ns3'),
    ).toBeUndefined();
    expect(echoedVethIndexes([linkMessage(7, { ifname: 'arc_ns3' })], 'arc_ns3')).toBeUndefined();
    expect(
      echoedVethIndexes([linkMessage(undefined, { ifname: 'arc_ns3', link: u32(2) })], 'arc_ns3'),
    ).toBeUndefined();
    expect(
      echoedVethIndexes([linkMessage(7, { ifname: 'arc_ns3', link: Buffer.alloc(2) })], 'arc_ns3'),
    ).toBeUndefined();
  });
});
