import { RestartBackoff } from '../../../src/helpers/restart-backoff';

describe('RestartBackoff', () => {
  test('doubles from 100 ms up to the 30 s cap and never gives up', () => {
    const backoff = new RestartBackoff();
    const delays = Array.from({ length: 12 }, () => backoff.nextDelay(5));
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000, 30000]);
    for (let i = 0; i < 1000; i++) expect(backoff.nextDelay(5)).toBe(30000);
  });

  test('a helper that stayed up 60 s starts again from 100 ms', () => {
    const backoff = new RestartBackoff();
    backoff.nextDelay(0);
    backoff.nextDelay(0);
    expect(backoff.nextDelay(59_999)).toBe(400);
    expect(backoff.nextDelay(60_000)).toBe(100);
    expect(backoff.nextDelay(10)).toBe(200);
  });

  test('takes its bounds from the policy', () => {
    const backoff = new RestartBackoff({ initialMs: 10, maxMs: 35, healthyAfterMs: 1000 });
    expect([0, 0, 0, 0].map(() => backoff.nextDelay(0))).toEqual([10, 20, 35, 35]);
  });
});
