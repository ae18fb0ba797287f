import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InvalidArgumentError } from './errors';
import type { ReadyCondition, TrackedProcess } from './processes';
import { escapeXml } from './xml';

export interface PrivateBusOptions {
  /** A busconfig file (e.g. the project's D-Bus policy) included after the bed's permissive defaults. */
  readonly policyFile?: string;
  /** More busconfig files, included after `policyFile` in order. */
  readonly policyFiles?: readonly string[];
}

/** A private dbus-daemon with a system-bus type config, listening on a unix socket under the run directory. */
export interface PrivateBus {
  /** The D-Bus address to connect to, e.g. 'unix:path=/run/patchpanel-testbed/ppt3fa2c/bus-1/socket,guid=…'. */
  readonly address: string;
  readonly socketPath: string;
  readonly pid: number;
  readonly configPath: string;
  readonly process: TrackedProcess;
  stop(): Promise<void>;
}

export interface BusConfig {
  readonly socketPath: string;
  readonly includes: readonly string[];
}

const DOCTYPE =
  '<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"\n' +
  ' "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">';

/**
 * A system-type bus where anyone may talk to anyone and only root may own names; included policy files
 * come last so their rules override these defaults.
 */
export function renderBusConfig(config: BusConfig): string {
  const includes = config.includes.map(
    (file) => `  <include ignore_missing="no">${escapeXml(file)}</include>`,
  );
  return [
    DOCTYPE,
    '<busconfig>',
    '  <type>system</type>',
    `  <listen>unix:path=${escapeXml(config.socketPath)}</listen>`,
    '  <auth>EXTERNAL</auth>',
    '  <policy context="default">',
    '    <allow user="*"/>',
    '    <allow send_destination="*" eavesdrop="true"/>',
    '    <allow receive_sender="*"/>',
    '    <deny own="*"/>',
    '  </policy>',
    '  <policy user="root">',
    '    <allow own="*"/>',
    '  </policy>',
    ...includes,
    '</busconfig>',
    '',
  ].join('\n');
}

export type Spawner = (argv: readonly string[], ready: ReadyCondition) => Promise<TrackedProcess>;

/** Writes the config under `dir` and starts dbus-daemon in the foreground; resolves once it printed its address. */
export async function startPrivateBus(
  spawn: Spawner,
  dir: string,
  options: PrivateBusOptions,
): Promise<PrivateBus> {
  const includes = [options.policyFile, ...(options.policyFiles ?? [])]
    .filter((file): file is string => file !== undefined)
    .map((file) => (isAbsolute(file) ? file : resolve(file)));
  const missing = includes.find((file) => !existsSync(file));
  if (missing !== undefined) throw new InvalidArgumentError(`policy file ${missing} does not exist`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const socketPath = `${dir}/socket`;
  const configPath = `${dir}/bus.conf`;
  writeFileSync(configPath, renderBusConfig({ socketPath, includes }));
  const argv = ['dbus-daemon', `--config-file=${configPath}`, '--nofork', '--nopidfile', '--print-address=1'];
  const process = await spawn(argv, { stdout: /^unix:\S+$/m });
  const address = /^unix:\S+$/m.exec(process.output())?.[0] ?? `unix:path=${socketPath}`;
  return {
    address,
    socketPath,
    pid: process.pid,
    configPath,
    process,
    stop: async () => {
      await process.stop();
    },
  };
}
