import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import execa from 'execa';
import { integrationSuite } from '../../src/jest';
import { pickPrefix } from '../../src/names';
import { isAlive, type ProcessIdentity, readIdentity } from '../../src/proc';
import { type RunState, serializeRunState, stateFilePath } from '../../src/state';
import { sweepLeftovers } from '../../src/sweep';
import { createTestbed } from '../../src/testbed';
import { netnsExists, survivors } from './helpers';

interface Built {
  readonly prefix: string;
  readonly netns: readonly string[];
  readonly pids: readonly ProcessIdentity[];
  readonly bus: number;
}

const FIXTURE = join(__dirname, 'fixtures', 'run-then-die.ts');

/** Starts a run in a child process and resolves once it printed what it built. */
async function startRun(mode: 'wait' | 'exit'): Promise<{ child: execa.ExecaChildProcess; built: Built }> {
  const child = execa(process.execPath, ['-r', require.resolve('esbuild-register'), FIXTURE, mode], {
    reject: false,
    buffer: false,
  });
  const built = await new Promise<Built>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(JSON.parse(text.split('\n')[0] as string) as Built);
    });
    child.once('exit', (code, signal) => reject(new Error(`fixture exited early (${code ?? signal})`)));
  });
  return { child, built };
}

const exitOf = (child: execa.ExecaChildProcess) =>
  new Promise<NodeJS.Signals | number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode ?? child.exitCode);
    else child.once('exit', (code, signal) => resolve(signal ?? code));
  });

const leftovers = (built: Built) => ({
  netns: built.netns.filter(netnsExists),
  processes: survivors(built.pids),
  stateFile: existsSync(stateFilePath(built.prefix)),
});

const nothingLeft = { netns: [], processes: [], stateFile: false };

integrationSuite('cleanup after a run dies', () => {
  test('a SIGKILLed run is swept by the next createTestbed', async () => {
    const { child, built } = await startRun('wait');
    const bus = readIdentity(built.bus);
    child.kill('SIGKILL');
    expect(await exitOf(child)).toBe('SIGKILL');
    // Nothing ran in the dead process: everything is still there.
    expect(leftovers(built).netns).toEqual(built.netns);
    expect(leftovers(built).processes.length).toBe(built.pids.length);
    expect(bus && isAlive(bus)).toBe(true);

    const next = await createTestbed({ label: 'sweeper' });
    await next.teardown();

    expect(leftovers(built)).toEqual(nothingLeft);
    expect(bus && isAlive(bus)).toBe(false);
  }, 60_000);

  test('a SIGTERMed run tears itself down and dies of the signal', async () => {
    const { child, built } = await startRun('wait');
    expect(leftovers(built).netns).toEqual(built.netns);
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe('SIGTERM');
    expect(leftovers(built)).toEqual(nothingLeft);
  }, 60_000);

  test('a run that exits without teardown is removed by its exit hook', async () => {
    const { child, built } = await startRun('exit');
    expect(await exitOf(child)).toBe(0);
    expect(leftovers(built)).toEqual(nothingLeft);
  }, 60_000);

  test('the sweep kills a recorded pid only while its start time matches', async () => {
    const gone = execa('true');
    const deadOwner = readIdentity(gone.pid as number) ?? { pid: gone.pid as number, startTime: '1' };
    await gone;
    const sleeper = execa('sleep', ['60'], { reject: false });
    const sleeperId = readIdentity(sleeper.pid as number) as ProcessIdentity;
    const record = (startTime: string): RunState => ({
      version: 1,
      prefix: pickPrefix(new Set()),
      label: 'fake dead run',
      createdAt: new Date().toISOString(),
      owner: deadOwner,
      netns: [],
      processes: [{ pid: sleeperId.pid, startTime, argv: ['sleep', '60'] }],
    });
    try {
      const reused = record(String(BigInt(sleeperId.startTime) - 1n)); // same pid, another process
      writeFileSync(stateFilePath(reused.prefix), serializeRunState(reused));
      expect((await sweepLeftovers()).runs).toContain(reused.prefix);
      expect(isAlive(sleeperId)).toBe(true);
      expect(existsSync(stateFilePath(reused.prefix))).toBe(false);

      const same = record(sleeperId.startTime);
      writeFileSync(stateFilePath(same.prefix), serializeRunState(same));
      expect((await sweepLeftovers()).runs).toContain(same.prefix);
      expect(await exitOf(sleeper)).toBe('SIGTERM');
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});
