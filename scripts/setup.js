#!/usr/bin/env node
// Brings a fresh clone to a runnable state: Debian packages (when root), npm dependencies, the build.
// Plain CommonJS with no dependencies, because it runs before `npm ci`.

const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { aptInstall, missingPackages } = require('./debian-packages');

const root = path.resolve(__dirname, '..');

// Command the tests or the demo run -> the Debian package that ships it.
const debianPackages = {
  ip: 'iproute2',
  iptables: 'iptables',
  nft: 'nftables',
  'dbus-daemon': 'dbus',
  'dbus-send': 'dbus',
  bwrap: 'bubblewrap',
  setpriv: 'util-linux',
  radvd: 'radvd',
  'avahi-daemon': 'avahi-daemon',
  'avahi-resolve': 'avahi-utils',
  socat: 'socat',
  adb: 'adb',
  iperf3: 'iperf3',
  tcpdump: 'tcpdump',
  ping: 'iputils-ping',
  rdisc6: 'ndisc6',
  pgrep: 'procps',
  valgrind: 'valgrind',
  conntrack: 'conntrack',
  make: 'make',
  'g++': 'g++',
  python3: 'python3',
};

function log(message) {
  process.stderr.write(`setup: ${message}\n`);
}

function run(file, args, options = {}) {
  log(`${file} ${args.join(' ')}`);
  const result = spawnSync(file, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${file} ${args.join(' ')} failed with ${result.status ?? result.signal}`);
  }
}

function ensureDebianPackages() {
  const missing = missingPackages(debianPackages);
  if (missing.length > 0 && !aptInstall(missing, log)) {
    log(`missing Debian packages (integration tests and the demo need them): ${missing.join(' ')}`);
  }
}

function dependenciesCurrent() {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(installed)) return false;
  const lock = fs.statSync(path.join(root, 'package-lock.json')).mtimeMs;
  return fs.statSync(installed).mtimeMs >= lock;
}

function ensureDependencies() {
  if (dependenciesCurrent()) return;
  run('npm', ['ci', '--no-fund', '--no-audit']);
}

function ensureBuild() {
  // tsc -b is incremental and the code generators are quick, so building every time keeps dist/ honest.
  run('npm', ['run', '--silent', 'build']);
}

function main() {
  ensureDebianPackages();
  ensureDependencies();
  ensureBuild();
  try {
    execFileSync('node', ['-e', "require('@patchpanel/netio')"], { cwd: root, stdio: 'ignore' });
  } catch {
    log('the netio native addon does not load; rebuild it with: npm rebuild -w @patchpanel/netio');
    process.exitCode = 1;
  }
}

main();
