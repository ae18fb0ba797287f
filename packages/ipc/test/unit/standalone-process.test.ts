import pino from 'pino';
import { runStandaloneProcess } from '../../src';

function run(argv: string[], start: () => Promise<{ stats(): unknown; close(): void }>) {
  const exits: number[] = [];
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const done = runStandaloneProcess({
    logger,
    usage: 'd <phys> <guest>',
    argv,
    exit: (c) => void exits.push(c),
    start,
  });
  return { done, exits, lines };
}

describe('runStandaloneProcess', () => {
  test('a missing argument: the usage and exit 1, nothing started', async () => {
    const start = jest.fn();
    const { done, exits, lines } = run(['eth0'], start);
    await done;
    expect(exits).toEqual([1]);
    expect(start).not.toHaveBeenCalled();
    expect(lines[0]?.msg).toBe('usage: d <phys> <guest>');
  });

  test('a start that fails: its reason and exit 1', async () => {
    const { done, exits, lines } = run(['eth0', 'br0'], () => Promise.reject(new Error('no interface br0')));
    await done;
    expect(exits).toEqual([1]);
    expect(lines[0]).toMatchObject({ msg: 'cannot start', err: { message: 'no interface br0' } });
  });

  test('started: SIGTERM logs the counters, closes and exits 0', async () => {
    const close = jest.fn();
    const { done, exits, lines } = run(['eth0', 'br0'], async () => ({
      stats: () => ({ forwarded: 3 }),
      close,
    }));
    await done;
    expect(lines[0]).toMatchObject({ msg: 'running', upstream: 'eth0', guest: 'br0' });
    process.emit('SIGTERM', 'SIGTERM');
    expect(close).toHaveBeenCalledTimes(1);
    expect(exits).toEqual([0]);
    expect(lines[1]).toMatchObject({ msg: 'stopped', signal: 'SIGTERM', stats: { forwarded: 3 } });
    process.removeAllListeners('SIGINT');
  });
});
