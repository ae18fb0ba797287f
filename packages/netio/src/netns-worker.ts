import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { addonPath } from './binding';
import { ClosedError, InvalidArgumentError, NetnsTaskError, translateNativeError } from './errors';
import { type NetnsTarget, netnsPath } from './netns';

/** A function to call inside the namespace: `require(module)[fn](...args)`; args and result are cloned. */
export interface NetnsTask {
  /** Absolute path of a CommonJS module (compiled JS: the worker runs plain Node), or a 'node:' builtin. */
  module: string;
  fn: string;
  args?: readonly unknown[];
}

interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  errno?: number;
  syscall?: string;
}

type WorkerHello = { ready: true } | { ready: false; error: SerializedError };
type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError };

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

// Plain JS: the worker cannot load TypeScript, and a source string survives any transform of this file.
const WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const serialize = (error) =>
  error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack, code: error.code, errno: error.errno,
        syscall: error.syscall }
    : { name: 'Error', message: String(error) };
let entered = false;
try {
  require(workerData.addonPath).setnsCurrentThread(workerData.netns);
  entered = true;
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ ready: false, error: serialize(error) });
}
if (entered) {
  parentPort.on('message', async ({ id, module, fn, args }) => {
    try {
      const value = await require(module)[fn](...args);
      parentPort.postMessage({ id, ok: true, value });
    } catch (error) {
      parentPort.postMessage({ id, ok: false, error: serialize(error) });
    }
  });
}
`;

function revive(error: SerializedError): Error {
  const revived = Object.assign(new Error(error.message), error);
  if (error.stack !== undefined) revived.stack = error.stack;
  return revived;
}

/**
 * A worker thread that joined a network namespace (setns on its own OS thread) and runs tasks there.
 * Sockets, netlink and child processes it creates belong to that namespace; the main thread never moves.
 * The thread ends inside the namespace when closed, so there is nothing to restore.
 */
export class NetnsWorker {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    readonly netns: string,
  ) {
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (error) =>
      this.fail(new NetnsTaskError(`netns worker in ${netns} failed`, { cause: error })),
    );
    worker.on('exit', (code) =>
      this.fail(new NetnsTaskError(`netns worker in ${netns} exited with ${code}`)),
    );
  }

  static start(target: NetnsTarget): Promise<NetnsWorker> {
    const netns = netnsPath(target);
    // Tasks close what they open, and their fds come from the addon, not fs.open: Node's tracking of a
    // worker's fds would warn on every such close.
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { addonPath, netns },
      trackUnmanagedFds: false,
    });
    return new Promise((resolve, reject) => {
      const onExit = (code: number) =>
        reject(new NetnsTaskError(`netns worker exited with ${code} while starting`));
      worker.once('exit', onExit);
      worker.once('error', reject);
      worker.once('message', (hello: WorkerHello) => {
        worker.off('exit', onExit);
        worker.off('error', reject);
        if (hello.ready) {
          resolve(new NetnsWorker(worker, netns));
        } else {
          reject(translateNativeError(`enter ${netns}`, revive(hello.error)));
          void worker.terminate();
        }
      });
    });
  }

  run<T>(task: NetnsTask): Promise<T> {
    if (this.closed) return Promise.reject(new ClosedError(`netns worker for ${this.netns}`));
    if (!path.isAbsolute(task.module) && !task.module.startsWith('node:')) {
      return Promise.reject(
        new InvalidArgumentError(`task module must be absolute or node:*, got ${task.module}`),
      );
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, module: task.module, fn: task.fn, args: task.args ?? [] });
    });
  }

  async close(): Promise<void> {
    if (this.closed) throw new ClosedError(`netns worker for ${this.netns}`);
    this.fail(new ClosedError(`netns worker for ${this.netns}`));
    await this.worker.terminate();
  }

  private settle(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    if (reply.ok) {
      pending.resolve(reply.value);
    } else {
      pending.reject(
        new NetnsTaskError(`task failed in ${this.netns}: ${reply.error.message}`, {
          cause: revive(reply.error),
        }),
      );
    }
  }

  private fail(error: Error): void {
    this.closed = true;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/** Starts a worker in the namespace, runs one task, and ends the worker. */
export async function runInNetns<T>(target: NetnsTarget, task: NetnsTask): Promise<T> {
  const worker = await NetnsWorker.start(target);
  try {
    return await worker.run<T>(task);
  } finally {
    await worker.close();
  }
}
