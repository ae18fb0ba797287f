/** A daemon the bed started in a namespace; stopped by pid (and again at teardown if still running). */
export interface Service {
  readonly pid: number;
  stop(): Promise<void>;
}
