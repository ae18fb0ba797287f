import { StateError } from './errors';
import { PREFIX_PATTERN } from './names';
import type { ProcessIdentity } from './proc';

/** Where every run records what it made, so a later run can sweep it after a crash. */
export const STATE_DIR = '/run/patchpanel-testbed';

export interface RecordedProcess extends ProcessIdentity {
  readonly argv: readonly string[];
}

/** The content of /run/patchpanel-testbed/<prefix>.json. */
export interface RunState {
  readonly version: 1;
  readonly prefix: string;
  readonly label: string;
  readonly createdAt: string;
  /** The process that owns the run; the run is swept only once it is dead. */
  readonly owner: ProcessIdentity;
  readonly netns: readonly string[];
  readonly processes: readonly RecordedProcess[];
}

export function stateFilePath(prefix: string, dir: string = STATE_DIR): string {
  return `${dir}/${prefix}.json`;
}

/** Config files, sockets and pid files of the run's services; always derived from the prefix, never read. */
export function runDirPath(prefix: string, dir: string = STATE_DIR): string {
  return `${dir}/${prefix}`;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function field<T>(obj: Json, key: string, check: (value: unknown) => value is T, what: string): T {
  const value = obj[key];
  if (!check(value)) throw new StateError(`state field ${key} is not ${what}`);
  return value;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isPid = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;
const isStartTime = (value: unknown): value is string => isString(value) && /^\d+$/.test(value);
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);

function parseIdentity(value: unknown): ProcessIdentity {
  if (!isObject(value)) throw new StateError('process entry is not an object');
  return {
    pid: field(value, 'pid', isPid, 'a pid'),
    startTime: field(value, 'startTime', isStartTime, 'a start time'),
  };
}

function parseProcess(value: unknown): RecordedProcess {
  const identity = parseIdentity(value);
  return { ...identity, argv: field(value as Json, 'argv', isStringArray, 'an argv') };
}

/** Validates a state file's text into a RunState; throws StateError on any deviation. */
export function parseRunState(text: string): RunState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StateError('state file is not JSON', { cause: err });
  }
  if (!isObject(raw)) throw new StateError('state file is not an object');
  if (raw.version !== 1) throw new StateError(`unknown state version ${String(raw.version)}`);
  const prefix = field(raw, 'prefix', isString, 'a string');
  if (!PREFIX_PATTERN.test(prefix)) throw new StateError(`bad prefix ${prefix}`);
  const netns = field(raw, 'netns', isStringArray, 'a list of names');
  const foreign = netns.find((name) => !name.startsWith(`${prefix}-`));
  if (foreign !== undefined) throw new StateError(`netns ${foreign} does not carry the prefix ${prefix}`);
  const processes = field(raw, 'processes', Array.isArray, 'a list');
  return {
    version: 1,
    prefix,
    label: field(raw, 'label', isString, 'a string'),
    createdAt: field(raw, 'createdAt', isString, 'a string'),
    owner: parseIdentity(raw.owner),
    netns,
    processes: processes.map(parseProcess),
  };
}

export function serializeRunState(state: RunState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}
