import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { StateError } from './errors';
import { PREFIX_PATTERN } from './names';
import {
  parseRunState,
  type RecordedProcess,
  type RunState,
  runDirPath,
  STATE_DIR,
  serializeRunState,
  stateFilePath,
} from './state';

/**
 * The state file of one live run. Every change is written synchronously and atomically (write + rename)
 * before the thing it describes exists, so a crash at any point leaves a record for the sweep.
 */
export class RunStateStore {
  private removed = false;

  private constructor(
    private state: RunState,
    readonly dir: string,
  ) {}

  static create(state: RunState, dir: string = STATE_DIR): RunStateStore {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const store = new RunStateStore(state, dir);
    store.save();
    mkdirSync(store.runDir, { mode: 0o700 });
    return store;
  }

  get current(): RunState {
    return this.state;
  }

  get runDir(): string {
    return runDirPath(this.state.prefix, this.dir);
  }

  addNetns(name: string): void {
    this.update({ netns: [...this.state.netns, name] });
  }

  removeNetns(name: string): void {
    this.update({ netns: this.state.netns.filter((n) => n !== name) });
  }

  addProcess(process: RecordedProcess): void {
    this.update({ processes: [...this.state.processes, process] });
  }

  removeProcess(pid: number): void {
    this.update({ processes: this.state.processes.filter((p) => p.pid !== pid) });
  }

  /** Removes the run directory and then the state file: the last step of a teardown. */
  remove(): void {
    this.removed = true;
    removeStoredRun(this.state.prefix, this.dir);
  }

  private update(change: Partial<RunState>): void {
    this.state = { ...this.state, ...change };
    if (!this.removed) this.save(); // late exit events must not resurrect a removed run
  }

  private save(): void {
    const file = stateFilePath(this.state.prefix, this.dir);
    writeFileSync(`${file}.tmp`, serializeRunState(this.state), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }
}

export interface StoredRun {
  readonly prefix: string;
  readonly state?: RunState;
  readonly error?: StateError;
}

/** Every run recorded under `dir`, with a parse error instead of a state when the file is damaged. */
export function readStoredRuns(dir: string = STATE_DIR): StoredRun[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.endsWith('.json') && PREFIX_PATTERN.test(entry.slice(0, -5)))
    .map((entry) => {
      const prefix = entry.slice(0, -5);
      try {
        return { prefix, state: parseRunState(readFileSync(`${dir}/${entry}`, 'utf8')) };
      } catch (err) {
        const error =
          err instanceof StateError ? err : new StateError(`cannot read ${entry}`, { cause: err });
        return { prefix, error };
      }
    });
}

/** Removes the files of a swept run; the directory path is derived from the prefix, never read. */
export function removeStoredRun(prefix: string, dir: string = STATE_DIR): void {
  rmSync(runDirPath(prefix, dir), { recursive: true, force: true });
  rmSync(stateFilePath(prefix, dir), { force: true });
  rmSync(`${stateFilePath(prefix, dir)}.tmp`, { force: true });
}
