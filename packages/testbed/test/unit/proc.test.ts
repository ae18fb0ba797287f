import { parseCapEff, privilegeProblem } from '../../src/privileges';
import { parseNamespaceLink, parseProcStat } from '../../src/proc';

const statLine = (comm: string, state = 'S'): string =>
  `4242 (${comm}) ${state} 1 4242 4242 0 -1 4194560 163 0 0 0 0 0 0 0 20 0 1 0 987654 2277376 210 ` +
  '18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';

describe('/proc/<pid>/stat', () => {
  test('yields pid, state, ppid and start time', () => {
    expect(parseProcStat(statLine('sleep'))).toEqual({
      pid: 4242,
      comm: 'sleep',
      state: 'S',
      ppid: 1,
      startTime: '987654',
    });
  });

  test('counts fields after the last parenthesis, whatever the command name holds', () => {
    expect(parseProcStat(statLine('a) b (c'))?.startTime).toBe('987654');
    expect(parseProcStat(statLine('a) b (c'))?.comm).toBe('a) b (c');
  });

  test('reports zombies through their state', () => {
    expect(parseProcStat(statLine('radvd', 'Z'))?.state).toBe('Z');
  });

  test('rejects truncated text', () => {
    expect(parseProcStat('4242 (sleep) S 1')).toBeUndefined();
    expect(parseProcStat('garbage')).toBeUndefined();
  });
});

test('namespace links name their inode', () => {
  expect(parseNamespaceLink('net:[4026532318]')).toBe('4026532318');
  expect(parseNamespaceLink('mnt:[1]')).toBe('1');
  expect(parseNamespaceLink('/run/netns/x')).toBeUndefined();
});

describe('privileges', () => {
  const status = (capEff: string): string => `Name:\tnode\nUid:\t0\t0\t0\t0\nCapEff:\t${capEff}\n`;

  test('CapEff is read as a bit mask', () => {
    expect(parseCapEff(status('000001ffffffffff'))).toBe(0x1ffffffffffn);
    expect(parseCapEff('Name: x\n')).toBeUndefined();
  });

  test('root with every capability can build a bed', () => {
    expect(privilegeProblem(0, status('000001ffffffffff'))).toBeUndefined();
  });

  test('a non-root user or missing capabilities are named', () => {
    expect(privilegeProblem(1000, status('000001ffffffffff'))).toMatch(/uid 1000/);
    expect(privilegeProblem(0, status('0000000000001000'))).toBe('lacks CAP_SYS_ADMIN');
    expect(privilegeProblem(0, status('0000000000200000'))).toBe('lacks CAP_NET_ADMIN');
    expect(privilegeProblem(0, status('0000000000000000'))).toBe('lacks CAP_NET_ADMIN and CAP_SYS_ADMIN');
  });
});
