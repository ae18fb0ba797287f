// Our standalone daemons (ndproxyd, mcastd) as a system a benchmark starts and stops: `runStandaloneProcess`
// logs "running" once it serves and its counters in the "stopped" line.

/**
 * `script` run as `node <script> <upstream> <guest>` in `ns`; `stop()` resolves with a note made by
 * `describe(stats)` from its last "stopped" line, or undefined.
 */
function standaloneDaemon(bed, ns, { name, script, upstream, guest, describe }) {
  let daemon;
  return {
    name,
    pid: () => daemon.pid,
    async start() {
      daemon = await bed.spawn(ns, [process.execPath, script, upstream, guest], {
        ready: { stdout: /"msg":"running"/ },
      });
    },
    async stop() {
      await daemon.stop();
      const stats = daemon
        .output()
        .split('\n')
        .filter((line) => line.includes('"msg":"stopped"'))
        .map((line) => JSON.parse(line).stats)
        .at(-1);
      return stats && describe(stats);
    },
  };
}

module.exports = { standaloneDaemon };
