// A benchmark's peers from Debian: installed when missing and the bench runs as root (the same way
// scripts/setup.js installs the tests' packages), otherwise a clear error naming what to install.

const { aptInstall, findCommand, missingPackages } = require('../../scripts/debian-packages');

const log = (message) => process.stderr.write(`bench: ${message}\n`);

/**
 * `commands` maps a command (a name on PATH, or an absolute path) to the Debian package that ships it. Installs
 * what is missing, or throws with the `apt-get install` line to run. Returns { command: full path }.
 */
function ensureDebianPackages(commands) {
  const missing = missingPackages(commands);
  if (missing.length > 0 && !aptInstall(missing, log)) {
    throw new Error(`missing bench peers: apt-get install ${missing.join(' ')}`);
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

module.exports = { ensureDebianPackages };
