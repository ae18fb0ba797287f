import { SerialTask } from '../../../src/devices/serial-task';

describe('SerialTask', () => {
  test('triggers within one turn coalesce into one run', async () => {
    let runs = 0;
    const task = new SerialTask(async () => {
      runs++;
    }, fail);
    task.trigger();
    task.trigger();
    task.trigger();
    await task.idle();
    expect(runs).toBe(1);
  });

  test('a trigger during a run gives exactly one more run, never two at once', async () => {
    let running = 0;
    let overlap = false;
    let runs = 0;
    let release: () => void = () => {};
    const task = new SerialTask(async () => {
      running++;
      overlap ||= running > 1;
      runs++;
      if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
      running--;
    }, fail);
    task.trigger();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    task.trigger();
    task.trigger();
    release();
    await task.idle();
    expect({ runs, overlap }).toEqual({ runs: 2, overlap: false });
  });

  test('a failure is reported, and retried after the pause when one is given', async () => {
    const errors: unknown[] = [];
    let attempts = 0;
    const task = new SerialTask(
      async () => {
        attempts++;
        if (attempts < 3) throw new Error(`attempt ${attempts}`);
      },
      (err) => errors.push(err),
      5,
    );
    task.trigger();
    await task.idle();
    expect(attempts).toBe(3);
    expect(errors.map((e) => (e as Error).message)).toEqual(['attempt 1', 'attempt 2']);
  });

  test('without a pause a failure waits for the next trigger', async () => {
    let attempts = 0;
    const task = new SerialTask(
      async () => {
        attempts++;
        throw new Error('no');
      },
      () => {},
    );
    task.trigger();
    await task.idle();
    expect(attempts).toBe(1);
  });

  test('stop cuts a pause short and ignores later triggers', async () => {
    let attempts = 0;
    const task = new SerialTask(
      async () => {
        attempts++;
        throw new Error('no');
      },
      () => {},
      60_000,
    );
    task.trigger();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await task.stop();
    task.trigger();
    await task.idle();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(attempts).toBe(1);
  });
});

function fail(err: unknown): never {
  throw err;
}
