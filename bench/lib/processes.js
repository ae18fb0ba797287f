// Processes a benchmark drives: the daemon with its JSON log followed, `ip monitor link` in a namespace,
// and one-shot commands timed from spawn to exit.

const { execFileSync, spawn } = require('node:child_process');
const path = require('node:path');
const { followLines } = require('./line-follower');
const { elapsedMs } = require('./stats');

const daemonMain = path.resolve(__dirname, '../../packages/manager/dist/main.js');

/** Runs `argv` (an array, no shell) with `input` on stdin; resolves to its wall time in ms, rejects on failure. */
function runTimed(argv, { env, input } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let ms;
    let output = ''; // CNI plugins report errors on stdout
    const collect = (chunk) => {
      output += chunk;
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', () => {
      ms = elapsedMs(started);
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(ms) : reject(new Error(`${argv.join(' ')}: exit ${code}: ${output.trim()}`)),
    );
    // A command that exits before reading its input closes the pipe: its exit code tells what happened.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** The daemon in `netns` (it is the `ip netns exec` process after exec); `log` follows its JSON lines. */
function startDaemon(netns, configFile) {
  const child = spawn(
    'ip',
    ['netns', 'exec', netns.name, process.execPath, daemonMain, '--config', configFile],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const log = followLines(child.stdout, (text) => (text.startsWith('{') ? JSON.parse(text) : undefined));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ready = Promise.race([
    log.waitFor((l) => l.msg === 'patchpaneld ready', 30_000),
    exited.then((code) => {
      const last = log.lines.slice(-3).map((l) => JSON.stringify({ msg: l.msg, err: l.err?.message }));
      throw new Error(`the daemon exited (${code}) before it was ready; its last lines: ${last.join(' ')}`);
    }),
  ]);
  return { child, log, ready };
}

/**
 * `ip -o monitor link` in `netns`: one parsed line per link event, `{ ifname, flags, deleted }`. Resolves once
 * the monitor is seen to report (a bridge added and deleted until its event arrives).
 */
async function watchLinks(netns) {
  const child = spawn('ip', ['-o', '-n', netns.name, 'monitor', 'link'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const events = followLines(child.stdout, (text) => {
    const m = /^(Deleted )?\d+: ([^:@\s]+)(?:@\S+)?: <([^>]*)>/.exec(text);
    return m ? { deleted: m[1] !== undefined, ifname: m[2], flags: m[3].split(',') } : undefined;
  });
  const marker = 'ppbench-sync';
  for (let attempt = 0; ; attempt += 1) {
    const seen = events.waitFor((e) => e.ifname === marker && e.deleted, 500);
    execFileSync('ip', ['-n', netns.name, 'link', 'add', marker, 'type', 'bridge']);
    execFileSync('ip', ['-n', netns.name, 'link', 'del', marker]);
    try {
      await seen;
      return { child, events };
    } catch (err) {
      if (attempt === 10) {
        child.kill('SIGKILL');
        throw err;
      }
    }
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
async function stopChild(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

module.exports = { runTimed, startDaemon, watchLinks, stopChild };
