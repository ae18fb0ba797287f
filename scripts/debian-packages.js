// Finding commands and installing the Debian packages that ship them: used by scripts/setup.js (the tests' and
// the demo's packages) and by the benchmarks (their peers). Plain CommonJS with no dependencies, because setup
// runs it before `npm ci`.

const { spawnSync } = require('node:child_process');
const { accessSync, constants } = require('node:fs');
const path = require('node:path');

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The full path of `command` on PATH or in the sbin folders, or undefined; an absolute path is checked as is. */
function findCommand(command) {
  if (path.isAbsolute(command)) return isExecutable(command) ? command : undefined;
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin']);
  return dirs.map((dir) => path.join(dir, command)).find(isExecutable);
}

/** The packages of the commands in `commands` (command or absolute path -> package) that are missing, once each. */
function missingPackages(commands) {
  return [
    ...new Set(
      Object.entries(commands)
        .filter(([command]) => findCommand(command) === undefined)
        .map(([, pkg]) => pkg),
    ),
  ];
}

/**
 * Installs `packages` with apt-get, logging each step through `log`. Returns false, doing nothing, when not root
 * or without apt-get; throws when apt-get fails.
 */
function aptInstall(packages, log) {
  if (process.getuid?.() !== 0 || findCommand('apt-get') === undefined) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-q'],
    ['install', '-y', '-q', '--no-install-recommends', ...packages],
  ]) {
    log(`apt-get ${args.join(' ')}`);
    // apt's output to stderr: a bench's stdout carries its figures.
    const result = spawnSync('apt-get', args, { env, stdio: ['ignore', 2, 2] });
    if (result.status !== 0)
      throw new Error(`apt-get ${args.join(' ')} failed with ${result.status ?? result.signal}`);
  }
  return true;
}

module.exports = { aptInstall, findCommand, missingPackages };
