import { readSync } from 'node:fs';
import path from 'node:path';
import type { PrivateBus, SuiteContext } from '@patchpanel/testbed';
import * as dbus from 'dbus-next';
import type { PatchPanelApi } from '../../../src/api/patchpanel-api';
import { PatchPanelClient } from '../../../src/dbus/client';
import { exportPatchPanelService, type PatchPanelService } from '../../../src/dbus/export-service';
import { claimServiceName } from '../../../src/dbus/service-bus';
import { FakePatchPanelApi } from '../../support/fake-patchpanel-api';
import { LogSink } from '../../support/log-sink';

export const POLICY_FILE = path.resolve(
  __dirname,
  '../../../../../packaging/dbus/org.chromium.PatchPanel.conf',
);

/** The D-Bus layer on a private bus with the project's policy, answering from a fake api. */
export interface ServiceOnBus {
  /** A fresh fake for every test. */
  readonly api: FakePatchPanelApi;
  /** The service's log; emptied before every test. */
  readonly sink: LogSink;
  readonly bus: PrivateBus;
  readonly service: PatchPanelService;
  readonly client: PatchPanelClient;
  /** A process in a namespace of the bed: a pid ConnectNamespace accepts. */
  readonly containerPid: number;
  /** A call with any signature, through a plain dbus-next connection. */
  rawCall(member: string, signature: string, body: unknown[], iface?: string): Promise<dbus.Message | null>;
}

/** Registers the hooks that build it inside an integrationSuite; read its fields inside tests only. */
export function serviceOnBus(ctx: SuiteContext): ServiceOnBus {
  let api = new FakePatchPanelApi();
  // The exported service keeps this object; each test swaps the fake behind it.
  const apiOfTheTest: PatchPanelApi = {
    connectNamespace: (request) => api.connectNamespace(request),
    modifyPortRule: (operation, rule) => api.modifyPortRule(operation, rule),
    getDevices: () => api.getDevices(),
  };
  const sink = new LogSink();
  let state: Omit<ServiceOnBus, 'api' | 'sink' | 'rawCall'> & {
    raw: dbus.MessageBus;
    daemon: dbus.MessageBus;
  };

  beforeAll(async () => {
    const bus = await ctx.bed.dbus({ policyFile: POLICY_FILE });
    const { pid: containerPid } = await ctx.bed.container('c1');
    let service: PatchPanelService | undefined;
    const daemon = await claimServiceName(
      bus.address,
      (err) => sink.logger.error({ err }, 'bus lost'),
      (connection) => {
        service = exportPatchPanelService(connection, { api: apiOfTheTest, logger: sink.logger });
      },
    );
    if (service === undefined) throw new Error('the service was not exported');
    const client = PatchPanelClient.connect(bus.address);
    const raw = dbus.sessionBus({ busAddress: bus.address, negotiateUnixFd: true } as dbus.SessionBusOptions);
    state = { bus, service, client, containerPid, raw, daemon };
    // Disconnect while the bus daemon still runs: dbus-next 0.10 over usocket 1.1.0 can abort the process
    // (uv__finish_close assertion) when a connection is disconnected after its bus went away.
    ctx.bed.onTeardown(() => {
      for (const connection of [client, raw, daemon]) connection.disconnect();
    });
  });

  beforeEach(() => {
    api = new FakePatchPanelApi();
    sink.lines.splice(0);
  });

  return {
    get api() {
      return api;
    },
    sink,
    get bus() {
      return state.bus;
    },
    get service() {
      return state.service;
    },
    get client() {
      return state.client;
    },
    get containerPid() {
      return state.containerPid;
    },
    rawCall: (member, signature, body, iface = 'org.chromium.PatchPanel') =>
      state.raw.call(
        new dbus.Message({
          destination: 'org.chromium.PatchPanel',
          path: '/org/chromium/PatchPanel',
          interface: iface,
          member,
          signature,
          body,
        }),
      ),
  };
}

/** Reads what is in a non-blocking pipe now: its text, or null at EOF. */
export function readNow(fd: number): string | null {
  const buffer = Buffer.alloc(64);
  const n = readSync(fd, buffer);
  return n === 0 ? null : buffer.subarray(0, n).toString();
}
