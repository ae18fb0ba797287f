import type { Netns } from '../../src';
import { integrationSuite } from '../../src/jest';
import { type SsdpResponder, ssdpSearch, startSsdpResponder } from '../../src/services/ssdp';
import { vethPair } from './helpers';

const LOCATION = 'http://192.0.2.1:8080/description.xml';

integrationSuite('SSDP responder and search', (ctx) => {
  let a: Netns;
  let b: Netns;
  let responder: SsdpResponder;

  beforeAll(async () => {
    ({ a, b } = await vethPair(ctx.bed));
    responder = await startSsdpResponder(ctx.bed, a, { interface: 'va', location: LOCATION });
  });

  test('a search for its ST gets a unicast 200 OK from 192.0.2.1:1900 with LOCATION', async () => {
    const { responses } = await ssdpSearch(b, { interface: 'vb', st: 'upnp:rootdevice', timeoutMs: 1_500 });
    expect(responses).toEqual([
      {
        from: '192.0.2.1:1900',
        headers: {
          'CACHE-CONTROL': 'max-age=1800',
          EXT: '',
          LOCATION,
          SERVER: expect.stringContaining('UPnP/1.1'),
          ST: 'upnp:rootdevice',
          USN: responder.usn,
        },
      },
    ]);
    expect(responder.usn).toMatch(/^uuid:[0-9a-f-]{36}::upnp:rootdevice$/);
  });

  test('ssdp:all is answered too, and the responder records the searcher address and port', async () => {
    const before = responder.searches().length;
    const { responses } = await ssdpSearch(b, { interface: 'vb', sourcePort: 40010, timeoutMs: 1_500 });
    expect(responses.map((r) => r.headers.ST)).toEqual(['upnp:rootdevice']);
    expect(responder.searches().slice(before)).toEqual([{ from: '192.0.2.2:40010' }]);
  });

  test('a search for another ST is seen but not answered', async () => {
    const before = responder.searches().length;
    const st = 'urn:schemas-upnp-org:device:Printer:1';
    const { responses } = await ssdpSearch(b, { interface: 'vb', st, timeoutMs: 1_000 });
    expect(responses).toEqual([]);
    expect(responder.searches().length).toBe(before + 1);
  });

  test('a second responder with its own ST answers ssdp:all as well', async () => {
    const st = 'urn:schemas-upnp-org:device:MediaServer:1';
    const other = await startSsdpResponder(ctx.bed, a, { interface: 'va', location: `${LOCATION}?2`, st });
    const { responses } = await ssdpSearch(b, { interface: 'vb', timeoutMs: 1_500 });
    expect(responses.map((r) => r.headers.ST).sort()).toEqual(['upnp:rootdevice', st]);
    expect(await other.waitForSearches(1)).toHaveLength(1);
    await other.stop();
  });

  test('bad arguments are refused before anything runs', async () => {
    await expect(ssdpSearch(b, { interface: 'vb', mx: 9 })).rejects.toMatchObject({
      code: 'PP_ERR_TESTBED_INVALID_ARGUMENT',
    });
    await expect(
      startSsdpResponder(ctx.bed, a, { interface: 'va', location: 'http://x/\r\nEVIL: 1' }),
    ).rejects.toMatchObject({ code: 'PP_ERR_TESTBED_INVALID_ARGUMENT' });
  });
});
