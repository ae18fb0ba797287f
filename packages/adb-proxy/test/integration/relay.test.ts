import { integrationSuite, waitUntil } from '@patchpanel/testbed';
import type { RelayKind } from '../../src/config';
import { arc, arcvm, GuestEvent, guestEnvelope } from '../support/messages';
import { type ProxyUnderTest, useAdbProxy } from '../support/proxy';
import {
  connectError,
  eachEchoes,
  eventsFromNow,
  holdConnections,
  RELAY_KINDS,
  transfer,
} from '../support/topology';

const MiB = 1024 * 1024;
/** A bound against hangs on a loaded 2-core machine, not a speed check. */
const BULK_TIMEOUT_MS = 240_000;

for (const relay of RELAY_KINDS) relaySuite(relay);

function relaySuite(relay: RelayKind): void {
  integrationSuite(`adb-proxy relaying (${relay} relay)`, (ctx) => {
    const adb = useAdbProxy(ctx);
    let proxy: ProxyUnderTest;

    /** A fresh helper, ARCVM up and ADB allowed, relaying (ARC++ would be relayed through the Unix socket). */
    beforeEach(async () => {
      proxy = await adb.start({ relay, containerSocket: adb.topology.unixSocket });
      proxy.openForArcvm();
      await proxy.waitUntilRelaying();
    });

    test(
      '64 MiB each way at once to a stalled, then slow reader arrive whole; the relay holds the sender back',
      async () => {
        const adbdEvents = eventsFromNow(adb.topology.adbd);
        const [result] = await transfer(adb.topology, {
          bytes: 64 * MiB,
          stallMs: 3_000,
          readDelayMs: 1,
          timeoutMs: 180_000,
        });
        expect(result).toMatchObject({ sent: 64 * MiB, received: 64 * MiB, peerFin: true, error: null });
        expect(result!.receivedSha256).toBe(result!.sentSha256);
        // While the client read nothing, it could only fill the buffers on the way there and back: eight socket
        // buffers of at most 1 MiB and what the relay and adbd hold between a read and a write. A relay that
        // kept reading without waiting for its writes would have let all 64 MiB in (measured: 64.0 MiB).
        console.log(
          `${relay} relay: ${(result!.sentDuringStall / MiB).toFixed(1)} MiB in flight at the stall`,
        );
        expect(result!.sentDuringStall).toBeGreaterThan(0);
        expect(result!.sentDuringStall).toBeLessThan(24 * MiB);
        // What adbd read is what the client sent.
        await waitUntil(
          () => adbdEvents().some((e) => e.event === 'closed'),
          10_000,
          'the guest side to close',
        );
        expect(adbdEvents().find((e) => e.event === 'closed')).toMatchObject({
          bytesIn: 64 * MiB,
          bytesOut: 64 * MiB,
          sha256In: result!.sentSha256,
        });
      },
      BULK_TIMEOUT_MS,
    );

    test('half-close: the client FINs, still receives the echo tail, then the FIN', async () => {
      const adbdEvents = eventsFromNow(adb.topology.adbd);
      const [result] = await transfer(adb.topology, { bytes: 8 * MiB, readDelayMs: 2 });
      expect(result).toMatchObject({ sent: 8 * MiB, received: 8 * MiB, peerFin: true, error: null });
      expect(result!.receivedSha256).toBe(result!.sentSha256);
      // The client's FIN went out with part of the echo still to come, and that tail arrived after it.
      expect(result!.receivedAtFin).toBeGreaterThanOrEqual(0);
      expect(result!.receivedAtFin).toBeLessThan(8 * MiB);
      // adbd saw the FIN after every byte, and closed without an error.
      expect(adbdEvents().find((e) => e.event === 'fin')).toMatchObject({ bytesIn: 8 * MiB });
      await waitUntil(
        () => adbdEvents().some((e) => e.event === 'closed'),
        10_000,
        'the guest side to close',
      );
      expect(adbdEvents().find((e) => e.event === 'closed')).toMatchObject({
        hadError: false,
        bytesOut: 8 * MiB,
      });
    });

    test('100 concurrent connections each echo', async () => {
      const results = await transfer(adb.topology, { connections: 100, bytes: 4096, timeoutMs: 60_000 });
      expect(results).toHaveLength(100);
      const failed = results.filter(
        (r) => r.error !== null || !r.peerFin || r.received !== 4096 || r.receivedSha256 !== r.sentSha256,
      );
      expect(failed).toEqual([]);
    });

    test.each([
      ['ARCVM, relayed over TCP', arcvm, 'tcp'],
      ['ARC++, relayed over its Unix socket', arc, 'unix'],
    ] as const)('%s: a STOP closes every relayed connection and the listener', async (_guest, guest, via) => {
      // ARCVM is up already; a START of ARC++ replaces it, and the gate stays open.
      proxy.send(guestEnvelope(guest(GuestEvent.START)));
      await proxy.barrier();
      const adbdEvents = eventsFromNow(adb.topology.adbd);
      const clients = await holdConnections(adb.topology, 5);
      try {
        await eachEchoes(clients, 5);
        const accepted = adbdEvents().filter((e) => e.event === 'accepted');
        expect(accepted.map((e) => e.via)).toEqual(Array(5).fill(via));
        proxy.send(guestEnvelope(guest(GuestEvent.STOP)));
        const closed = await clients.waitFor((e) => e.event === 'closed', 5, 20_000);
        // The relay resets the client side (a Unix socket has no reset: adbd's side is only closed).
        expect(closed.map((c) => c.error)).toEqual(Array(5).fill('ECONNRESET'));
        await waitUntil(
          () => adbdEvents().filter((e) => e.event === 'closed').length === 5,
          10_000,
          "adbd's side of every connection to close",
        );
        expect(await connectError(adb.topology)).toBe('ECONNREFUSED');
      } finally {
        await clients.stop();
      }
    });

    test(
      'a helper SIGKILLed mid-transfer fails it cleanly; the restarted helper relays again after the replay',
      async () => {
        const p = proxy;
        const victim = p.helperPid()!;
        const adbdEvents = eventsFromNow(adb.topology.adbd);
        const started = Date.now();
        const running = transfer(adb.topology, { bytes: 64 * MiB, readDelayMs: 2, timeoutMs: 120_000 });
        await waitUntil(
          () => adbdEvents().some((e) => e.event === 'accepted'),
          20_000,
          'the relayed connection',
        );
        await new Promise((resolve) => setTimeout(resolve, 500));
        process.kill(victim, 'SIGKILL');
        const [result] = await running;
        // An error or a short count, never a hang and never a clean end of a whole transfer.
        expect(result!.error).not.toBe('timeout');
        expect(result!.error !== null || result!.received < result!.sent).toBe(true);
        expect(result!.received).toBeLessThan(64 * MiB);
        expect(Date.now() - started).toBeLessThan(100_000);
        await waitUntil(() => adbdEvents().some((e) => e.event === 'closed'), 10_000, "adbd's side to close");
        // The supervisor restarts it and replays the policy and the guest; it listens again.
        await p.sink.waitFor((l) => l.msg === 'helper in sync' && l.replayed === 2, 1, 30_000);
        await p.waitUntilRelaying(60_000);
        expect(p.helperPid()).not.toBe(victim);
        expect(p.supervisor.status()[0]).toMatchObject({ restarts: 1, ready: true, inSync: true });
      },
      BULK_TIMEOUT_MS,
    );
  });
}
