import * as dbus from 'dbus-next';

const SERVICE = 'org.chromium.SessionManager';

/** What the fake answers to QueryAdbSideload: a value, or nothing at all (a hung session manager). */
export type SideloadAnswer = boolean | 'never';

class SessionManagerInterface extends dbus.interface.Interface {
  calls = 0;
  answer: SideloadAnswer = false;

  QueryAdbSideload(): boolean | Promise<boolean> {
    this.calls += 1;
    return this.answer === 'never' ? new Promise(() => {}) : this.answer;
  }
}

SessionManagerInterface.configureMembers({
  methods: { QueryAdbSideload: { inSignature: '', outSignature: 'b' } },
});

/** ChromeOS's session manager on a private bus, reduced to QueryAdbSideload, counting the calls. */
export class FakeSessionManager {
  private constructor(
    private readonly bus: dbus.MessageBus,
    private readonly object: SessionManagerInterface,
  ) {}

  static async start(busAddress: string, answer: SideloadAnswer): Promise<FakeSessionManager> {
    const bus = dbus.sessionBus({ busAddress });
    const object = new SessionManagerInterface('org.chromium.SessionManagerInterface');
    object.answer = answer;
    bus.export('/org/chromium/SessionManager', object);
    const reply = await bus.requestName(SERVICE, dbus.NameFlag.DO_NOT_QUEUE);
    if (reply !== dbus.RequestNameReply.PRIMARY_OWNER) throw new Error(`${SERVICE} is taken (${reply})`);
    return new FakeSessionManager(bus, object);
  }

  get calls(): number {
    return this.object.calls;
  }

  stop(): void {
    this.bus.disconnect();
  }
}
