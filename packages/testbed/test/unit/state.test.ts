import fc from 'fast-check';
import { StateError } from '../../src/errors';
import { parseRunState, type RunState, runDirPath, serializeRunState, stateFilePath } from '../../src/state';

const sample: RunState = {
  version: 1,
  prefix: 'ppt3fa2c',
  label: 'netio integration',
  createdAt: '2025-11-25T14:30:00.000Z',
  owner: { pid: 4242, startTime: '987654' },
  netns: ['ppt3fa2c-lan', 'ppt3fa2c-host'],
  processes: [
    { pid: 4250, startTime: '987700', argv: ['ip', 'netns', 'exec', 'ppt3fa2c-lan', 'radvd', '-n'] },
  ],
};

const withField = (key: string, value: unknown): string => JSON.stringify({ ...sample, [key]: value });

describe('run state files', () => {
  test('live next to each other under the state directory', () => {
    expect(stateFilePath('ppt3fa2c')).toBe('/run/patchpanel-testbed/ppt3fa2c.json');
    expect(runDirPath('ppt3fa2c')).toBe('/run/patchpanel-testbed/ppt3fa2c');
  });

  test('parse back to what was serialized', () => {
    expect(parseRunState(serializeRunState(sample))).toEqual(sample);
  });

  test('round-trip any valid state', () => {
    const identity = fc.record({
      pid: fc.integer({ min: 1, max: 4194304 }),
      startTime: fc.bigInt({ min: 0n }).map(String),
    });
    const state = fc.record({
      version: fc.constant(1 as const),
      prefix: fc.constant('ppt00abc'),
      label: fc.string(),
      createdAt: fc.string(),
      owner: identity,
      netns: fc.array(fc.stringMatching(/^[a-z0-9-]{1,10}$/).map((label) => `ppt00abc-${label}`)),
      processes: fc.array(
        fc.record({
          pid: identity.map((i) => i.pid),
          startTime: fc.constant('1'),
          argv: fc.array(fc.string()),
        }),
      ),
    });
    fc.assert(fc.property(state, (s) => expect(parseRunState(serializeRunState(s))).toEqual(s)));
  });

  test.each([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['another version', withField('version', 2)],
    ['a bad prefix', withField('prefix', 'ppx-1')],
    ['a netns without the prefix', withField('netns', ['ppt3fa2c-lan', 'other'])],
    ['a bad owner pid', withField('owner', { pid: 0, startTime: '1' })],
    ['an owner without start time', withField('owner', { pid: 12 })],
    ['a non-numeric start time', withField('owner', { pid: 12, startTime: 'yesterday' })],
    ['processes without argv', withField('processes', [{ pid: 1, startTime: '1' }])],
    ['a missing label', JSON.stringify({ ...sample, label: undefined })],
  ])('reject %s with a coded error', (_what, text) => {
    expect(() => parseRunState(text)).toThrow(StateError);
    try {
      parseRunState(text);
    } catch (err) {
      expect((err as StateError).code).toBe('PP_ERR_TESTBED_STATE');
    }
  });
});
