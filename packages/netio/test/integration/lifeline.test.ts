import { spawn } from 'node:child_process';
import { closeSync, fstatSync } from 'node:fs';
import { createPipe, watchHangup } from '../../src';

const hangup = (fd: number) =>
  new Promise<number>((resolve) => {
    const started = process.hrtime.bigint();
    watchHangup(fd, () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
  });

describe('lifelines', () => {
  test('closing the read end is seen on the write end at once (the ChromeOS client convention)', async () => {
    const { readFd, writeFd } = createPipe();
    const seen = hangup(writeFd);
    setTimeout(() => closeSync(readFd), 20);
    expect(await seen).toBeLessThan(1000);
  });

  test('closing the write end is seen on the read end', async () => {
    const { readFd, writeFd } = createPipe();
    const seen = hangup(readFd);
    setTimeout(() => closeSync(writeFd), 20);
    expect(await seen).toBeLessThan(1000);
  });

  test('a client killed with SIGKILL hangs up its lifeline', async () => {
    const { readFd, writeFd } = createPipe();
    const client = spawn('sleep', ['30'], { stdio: ['ignore', 'ignore', 'ignore', readFd] });
    closeSync(readFd);
    const seen = hangup(writeFd);
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.kill('SIGKILL');
    expect(await seen).toBeLessThan(2000);
  });

  test('data written into a readable lifeline is drained, not a hang-up', async () => {
    const { readFd, writeFd } = createPipe();
    let fired = false;
    const watch = watchHangup(readFd, () => {
      fired = true;
    });
    const { writeSync } = await import('node:fs');
    writeSync(writeFd, 'ping');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fired).toBe(false);
    watch.close();
    closeSync(writeFd);
  });

  test('close() closes the fd, and closing twice is an error, never a crash', () => {
    const { readFd, writeFd } = createPipe();
    const watch = watchHangup(writeFd, () => {});
    watch.close();
    expect(() => fstatSync(writeFd)).toThrow(/EBADF/);
    expect(() => watch.close()).toThrow(expect.objectContaining({ errnoName: 'EBADF' }));
    closeSync(readFd);
  });

  test('a bad fd is a JS error', () => {
    expect(() => watchHangup(-1, () => {})).toThrow();
    expect(() => watchHangup(987_654, () => {})).toThrow();
  });
});
