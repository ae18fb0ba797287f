import { integrationSuite, waitUntil } from '@patchpanel/testbed';
import * as dbus from 'dbus-next';
import { AdbPolicy, type AdbPolicySetting } from '../../../src/adb/adb-policy';
import { nameHasOwner } from '../../../src/dbus/name-owner';
import { FakeSessionManager, type SideloadAnswer } from '../../support/fake-session-manager';
import { LogSink } from '../../support/log-sink';

integrationSuite('ADB policy from the configuration or the session manager', (ctx) => {
  let busAddress: string;
  const cleanups: Array<() => void> = [];

  beforeAll(async () => {
    busAddress = (await ctx.bed.dbus()).address;
  });

  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });

  async function sessionManager(answer: SideloadAnswer): Promise<FakeSessionManager> {
    const fake = await FakeSessionManager.start(busAddress, answer);
    cleanups.push(() => fake.stop());
    return fake;
  }

  /** Starts a policy and resolves with every value it sent, once it sent one. */
  async function decide(setting: AdbPolicySetting, retry = { tries: 5, intervalMs: 50 }): Promise<boolean[]> {
    const bus = dbus.sessionBus({ busAddress });
    // Connected before anything can disconnect it: dbus-next crashes the process on a disconnect mid-handshake.
    await nameHasOwner(bus, 'org.freedesktop.DBus');
    const sent: boolean[] = [];
    const policy = new AdbPolicy({
      setting,
      bus,
      send: (allowed) => sent.push(allowed),
      log: new LogSink().logger,
      retry,
    });
    cleanups.push(() => {
      policy.stop();
      bus.disconnect();
    });
    policy.start();
    await waitUntil(() => sent.length > 0, 10_000, 'the ADB policy');
    return sent;
  }

  test('the configured value wins, whatever the session manager says', async () => {
    const fake = await sessionManager(true);
    expect(await decide(false)).toEqual([false]);
    expect(await decide(true)).toEqual([true]);
    expect(fake.calls).toBe(0);
  });

  test("'auto' asks the session manager once and sends its answer", async () => {
    const fake = await sessionManager(true);
    expect(await decide('auto')).toEqual([true]);
    expect(fake.calls).toBe(1);
  });

  test("'auto' without a session manager on the bus: not allowed, nothing called", async () => {
    expect(await decide('auto')).toEqual([false]);
  });

  test("'auto' with a session manager that never answers: 5 tries of 200 ms each, then not allowed", async () => {
    const fake = await sessionManager('never');
    const started = Date.now();
    expect(await decide('auto')).toEqual([false]);
    expect(fake.calls).toBe(5);
    // Five calls bounded at 200 ms each, four waits of 50 ms: well under a few seconds, not a hang.
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 200);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
