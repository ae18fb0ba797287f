export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Resolves with the first SIGINT or SIGTERM from now on; the handlers replace the default (exit). */
export function nextStopSignal(): Promise<StopSignal> {
  return new Promise((resolve) => {
    const onSignal = (signal: StopSignal): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
