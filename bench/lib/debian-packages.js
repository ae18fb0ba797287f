// The Debian packages a benchmark's peers come from: installed with apt-get when missing and the bench runs as
// root (as scripts/setup.js does for the tests' packages), otherwise a clear error naming what to install.

const { spawnSync } = require('node:child_process');
const { accessSync, constants } = require('node:fs');
const path = require('node:path');

/** The full path of `command` on PATH (plus the sbin folders), or undefined; an absolute path is checked as is. */
function findCommand(command) {
  if (path.isAbsolute(command)) {
    try {
      accessSync(command, constants.X_OK);
      return command;
    } catch {
      return undefined;
    }
  }
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin', '/usr/bin']);
  for (const dir of dirs) {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return path.join(dir, command);
    } catch {}
  }
  return undefined;
}

function aptGet(args) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  process.stderr.write(`bench: apt-get ${args.join(' ')}\n`);
  const result = spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0)
    throw new Error(`apt-get ${args.join(' ')} failed (${result.status ?? result.signal})`);
}

/**
 * `commands` maps a command (a name on PATH, or an absolute path) to the Debian package that ships it. Installs the packages of the missing ones when
 * root and apt-get is there, else throws with the `apt-get install` line to run. Resolves to { command: path }.
 */
function ensureDebianPackages(commands) {
  const missing = [
    ...new Set(
      Object.entries(commands)
        .filter(([command]) => findCommand(command) === undefined)
        .map(([, pkg]) => pkg),
    ),
  ];
  if (missing.length > 0) {
    if (process.getuid?.() !== 0 || findCommand('apt-get') === undefined) {
      throw new Error(`missing bench peers: apt-get install ${missing.join(' ')}`);
    }
    aptGet(['update', '-q']);
    aptGet(['install', '-y', '-q', '--no-install-recommends', ...missing]);
  }
  return Object.fromEntries(
    Object.keys(commands).map((command) => {
      const file = findCommand(command);
      if (file === undefined)
        throw new Error(`${command} is still missing after installing ${commands[command]}`);
      return [command, file];
    }),
  );
}

module.exports = { ensureDebianPackages, findCommand };
