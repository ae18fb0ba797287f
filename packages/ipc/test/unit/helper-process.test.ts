import {
  Channel,
  deviceEnvelope,
  GuestEvent,
  GuestType,
  HelperKind,
  IPC_PROTOCOL_VERSION,
  type Received,
  ReplayPhase,
  runHelperProcess,
} from '../../src';
import { capturingLogger, duplexPair, settle } from './fixtures';

function setup(handlers = {}) {
  const [managerEnd, helperEnd] = duplexPair();
  const fromHelper: Received[] = [];
  const manager = new Channel(managerEnd, {
    handlers: {
      helperReadyMessage: (message) => void fromHelper.push({ kind: 'helperReadyMessage', message }),
      stateReplayMessage: (message) => void fromHelper.push({ kind: 'stateReplayMessage', message }),
    },
  });
  const exits: number[] = [];
  const events: string[] = [];
  const helper = runHelperProcess({
    kind: HelperKind.ND_PROXY,
    logger: capturingLogger().logger,
    socket: helperEnd,
    handlers,
    onReplayBegin: () => events.push('reset'),
    onShutdown: () => events.push('shutdown'),
    exit: (code) => exits.push(code),
  });
  return { manager, helper, fromHelper, exits, events };
}

describe('runHelperProcess', () => {
  test('announces itself ready with its kind, pid and protocol version', async () => {
    const { fromHelper } = setup();
    await settle();
    expect(fromHelper).toHaveLength(1);
    expect(fromHelper[0]).toMatchObject({
      kind: 'helperReadyMessage',
      message: { helper: HelperKind.ND_PROXY, pid: process.pid, protocolVersion: IPC_PROTOCOL_VERSION },
    });
  });

  test('a replay resets the helper, delivers state to its handlers, and END is answered with the count', async () => {
    const devices: string[] = [];
    const { manager, fromHelper, events } = setup({
      deviceMessage: (m: { brIfname: string | null }) => void devices.push(String(m.brIfname)),
    });
    manager.send({ stateReplayMessage: { phase: ReplayPhase.BEGIN } });
    manager.send({ guestMessage: { type: GuestType.ARC, event: GuestEvent.START, arcPid: 7 } });
    manager.send(deviceEnvelope({ action: 'start', upstream: 'eth0', guest: 'arc_eth0' }));
    manager.send(deviceEnvelope({ action: 'start', upstream: 'eth0', guest: 'vmtap0' }));
    manager.send({ stateReplayMessage: { phase: ReplayPhase.END, messageCount: 3 } });
    // A live event after the replay reaches the handler but is not part of any count.
    manager.send(deviceEnvelope({ action: 'start', upstream: 'eth0', guest: 'arc_ns0' }));
    await settle();
    expect(events).toEqual(['reset']);
    expect(devices).toEqual(['arc_eth0', 'vmtap0', 'arc_ns0']);
    const acks = fromHelper.filter((r) => r.kind === 'stateReplayMessage');
    expect(acks).toHaveLength(1);
    expect(acks[0]!.message).toMatchObject({ phase: ReplayPhase.END, messageCount: 3 });
  });

  test('messages without a handler still count towards the replay', async () => {
    const { manager, fromHelper } = setup();
    manager.send({ stateReplayMessage: { phase: ReplayPhase.BEGIN } });
    manager.send({ adbPolicyMessage: { allowed: true } });
    manager.send({ guestMessage: { type: GuestType.ARC_VM, event: GuestEvent.START, arcvmVsockCid: 3 } });
    manager.send({ stateReplayMessage: { phase: ReplayPhase.END, messageCount: 2 } });
    await settle();
    expect(fromHelper.at(-1)!.message).toMatchObject({ phase: ReplayPhase.END, messageCount: 2 });
  });

  test('EOF from the manager shuts the helper down and exits 0', async () => {
    const { manager, exits, events } = setup();
    manager.close();
    await settle();
    expect(events).toEqual(['shutdown']);
    expect(exits).toEqual([0]);
  });
});
