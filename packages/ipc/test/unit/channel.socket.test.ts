// The channel over real kernel sockets: a Unix stream socket, and the socketpair Node gives a child as an
// extra 'pipe' stdio (how the manager hands each helper its channel).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { Channel, GuestEvent, GuestType, type IpcError, NDProxyEventType } from '../../src';

/** Child program: echoes every byte of fd 3 back; exits 0 on EOF, as a helper does when its manager dies. */
const ECHO_CHILD = `
if (!require('node:fs').fstatSync(3).isSocket()) process.exit(2);
const s = new (require('node:net').Socket)({ fd: 3, readable: true, writable: true });
s.on('data', (chunk) => s.write(chunk));
s.on('end', () => process.exit(0));
`;

function closed(): { onClose: (e: IpcError | undefined) => void; result: Promise<IpcError | undefined> } {
  let onClose!: (e: IpcError | undefined) => void;
  const result = new Promise<IpcError | undefined>((resolve) => {
    onClose = resolve;
  });
  return { onClose, result };
}

function spawnEcho(): { child: ChildProcess; socket: Duplex; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['-e', ECHO_CHILD], {
    stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, socket: child.stdio[3] as Duplex, exited };
}

const guestStart = { guestMessage: { type: GuestType.ARC_VM, event: GuestEvent.START, arcvmVsockCid: 3 } };

describe('Channel over a child socketpair', () => {
  test('frames go to the child and come back; closing our end makes the child see EOF and exit', async () => {
    const { socket, exited } = spawnEcho();
    const pids: number[] = [];
    const { onClose, result } = closed();
    const channel = new Channel(socket, {
      handlers: { guestMessage: (m) => void pids.push(m.arcvmVsockCid!) },
      onClose,
    });
    for (let cid = 1; cid <= 200; cid++) {
      channel.send({ guestMessage: { ...guestStart.guestMessage, arcvmVsockCid: cid } });
    }
    await waitFor(() => pids.length === 200);
    expect(pids).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    channel.close();
    expect(await exited).toBe(0);
    expect(await result).toBeUndefined();
    expect(channel.stats).toMatchObject({ framesOut: 200, framesIn: 200, framesDropped: 0 });
  });

  test('the child dying is a clean EOF on our channel', async () => {
    const { child, socket, exited } = spawnEcho();
    const { onClose, result } = closed();
    const channel = new Channel(socket, { handlers: {}, onClose });
    child.kill('SIGKILL');
    expect(await result).toBeUndefined();
    expect(channel.isClosed).toBe(true);
    await exited;
  });
});

describe('Channel over a Unix stream socket', () => {
  let dir: string;
  let server: Server;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pp-ipc-'));
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  test('messages flow both ways; the peer closing is EOF here', async () => {
    const path = join(dir, 'channel.sock');
    const accepted = new Promise<Socket>((resolve) => {
      server = createServer(resolve).listen(path);
    });
    await new Promise((resolve) => server.once('listening', resolve));
    const client = createConnection(path);
    const serverSide = await accepted;

    const managerClosed = closed();
    const routes: string[] = [];
    const manager = new Channel(serverSide, {
      handlers: { ndproxyMessage: (m) => void routes.push(`${m.ip6addr} dev ${m.ifname}`) },
      onClose: managerClosed.onClose,
    });
    const helper = new Channel(client, {
      handlers: {
        guestMessage: (m) =>
          helper.send({
            ndproxyMessage: {
              type: NDProxyEventType.ADD_ROUTE,
              ifname: `tap${m.arcvmVsockCid}`,
              ip6addr: '2001:db8::5',
            },
          }),
      },
    });
    manager.send(guestStart);
    await waitFor(() => routes.length === 1);
    expect(routes).toEqual(['2001:db8::5 dev tap3']);

    helper.close();
    expect(await managerClosed.result).toBeUndefined();
    expect(manager.isClosed).toBe(true);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
