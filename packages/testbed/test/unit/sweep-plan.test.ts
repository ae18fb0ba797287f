import { StateError } from '../../src/errors';
import type { ProcessIdentity } from '../../src/proc';
import type { RunState } from '../../src/state';
import { planSweep } from '../../src/sweep-plan';

const run = (prefix: string, ownerPid: number, netns: string[]): { prefix: string; state: RunState } => ({
  prefix,
  state: {
    version: 1,
    prefix,
    label: '',
    createdAt: '',
    owner: { pid: ownerPid, startTime: '100' },
    netns: netns.map((label) => `${prefix}-${label}`),
    processes: [{ pid: ownerPid + 1, startTime: '101', argv: ['sleep', 'infinity'] }],
  },
});

const aliveOwners =
  (...pids: number[]) =>
  (owner: ProcessIdentity) =>
    pids.includes(owner.pid);

describe('sweep planning', () => {
  test('takes every recorded namespace and process of a run whose owner is dead', () => {
    const plan = planSweep({
      netns: ['ppt00001-lan'],
      runs: [run('ppt00001', 10, ['lan', 'host'])],
      isAlive: aliveOwners(),
    });
    expect(plan.deadRuns).toEqual([
      {
        prefix: 'ppt00001',
        netns: ['ppt00001-lan', 'ppt00001-host'],
        processes: [{ pid: 11, startTime: '101', argv: ['sleep', 'infinity'] }],
      },
    ]);
    expect(plan.orphanNetns).toEqual([]);
  });

  test('never touches a run whose owner is alive', () => {
    const plan = planSweep({
      netns: ['ppt00001-lan', 'ppt00002-lan'],
      runs: [run('ppt00001', 10, ['lan']), run('ppt00002', 20, ['lan'])],
      isAlive: aliveOwners(10),
    });
    expect(plan.deadRuns.map((r) => r.prefix)).toEqual(['ppt00002']);
  });

  test('adds listed namespaces with a dead run prefix that the state missed', () => {
    const plan = planSweep({
      netns: ['ppt00001-extra'],
      runs: [run('ppt00001', 10, [])],
      isAlive: aliveOwners(),
    });
    expect(plan.deadRuns[0]?.netns).toEqual(['ppt00001-extra']);
  });

  test('treats prefixed namespaces without any state file as orphans, and ignores foreign ones', () => {
    const plan = planSweep({
      netns: ['ppt0000f-lan', 'ppx-manual', 'docker', 'ppt00001-lan'],
      runs: [run('ppt00001', 10, ['lan'])],
      isAlive: aliveOwners(10),
    });
    expect(plan.orphanNetns).toEqual(['ppt0000f-lan']);
    expect(plan.deadRuns).toEqual([]);
  });

  test('leaves damaged state files and their namespaces alone', () => {
    const plan = planSweep({
      netns: ['ppt00003-lan'],
      runs: [{ prefix: 'ppt00003', error: new StateError('bad') }],
      isAlive: aliveOwners(),
    });
    expect(plan).toEqual({ deadRuns: [], orphanNetns: [], damaged: ['ppt00003'] });
  });
});
