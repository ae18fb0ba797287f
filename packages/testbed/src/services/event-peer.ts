import { TimeoutError } from '../errors';
import type { Netns } from '../netns';
import { parseJsonObject } from '../peer-script';
import type { TrackedProcess } from '../processes';
import type { Testbed } from '../testbed';
import type { Service } from './service';

/** A long-lived peer script: prints {"ready":true} once listening, then one JSON object per event. */
export interface EventPeer<T> extends Service {
  readonly process: TrackedProcess;
  /** Every event so far, in order (all of them, not only the last lines of output). */
  events(): T[];
  /** Resolves once at least `count` events arrived, or with those there are when `timeoutMs` passed. */
  waitForEvents(count: number, timeoutMs?: number): Promise<T[]>;
  /** The first `count` (default 1) events matching `predicate`; rejects with a TimeoutError after `timeoutMs` (10 s). */
  waitFor(predicate: (event: T) => boolean, count?: number, timeoutMs?: number): Promise<T[]>;
}

const POLL_MS = 25;

/** For peers whose events are objects with a string `event` and a numeric connection `id`. */
export function connectionEvent<T>(line: Readonly<Record<string, unknown>>): T | undefined {
  return typeof line.event === 'string' && typeof line.id === 'number' ? (line as T) : undefined;
}

/** Starts the peer in `ns`; `toEvent` picks the events out of its JSON lines (undefined: not an event). */
export async function startEventPeer<T>(
  bed: Testbed,
  ns: Netns,
  argv: readonly string[],
  toEvent: (line: Readonly<Record<string, unknown>>) => T | undefined,
): Promise<EventPeer<T>> {
  const events: T[] = [];
  const onStdoutLine = (line: string): void => {
    const value = parseJsonObject(line);
    const event = value === undefined ? undefined : toEvent(value);
    if (event !== undefined) events.push(event);
  };
  const child = await bed.spawn(ns, argv, { ready: { stdout: /"ready":true/ }, onStdoutLine });
  return {
    pid: child.pid,
    process: child,
    events: () => [...events],
    waitForEvents: async (count, timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      return [...events];
    },
    waitFor: async (predicate, count = 1, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.filter(predicate);
        if (found.length >= count) return found.slice(0, count);
        if (Date.now() > deadline)
          throw new TimeoutError(`${count} events wanted, ${found.length} came within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
    stop: async () => {
      await child.stop();
    },
  };
}
