import { watchHangup } from '@patchpanel/netio';

/** A client's lifeline being watched; close() stops watching and closes the fd. */
export interface Lifeline {
  close(): void;
}

/** Calls `onHangup` once, as an event, when the other end of `fd` goes away (closed, or its process died). */
export interface LifelineWatcher {
  watch(fd: number, onHangup: () => void): Lifeline;
}

export const watchLifelines: LifelineWatcher = { watch: watchHangup };
