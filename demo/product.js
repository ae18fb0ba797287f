// Starts the product inside a test-bed host: the private bus with the project's policy, patchpaneld jailed
// with bwrap, and the `patchpanel` CLI that talks to it.
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const POLICY = path.join(root, 'packaging/dbus/org.chromium.PatchPanel.conf');
const DAEMON = require.resolve('@patchpanel/manager/dist/main.js');
const CLI = require.resolve('@patchpanel/manager/dist/cli/main.js');

/** `patchpaneld` when the packaging's sysusers entry was installed, else nobody. */
function helperUser() {
  const passwd = existsSync('/etc/passwd') ? readFileSync('/etc/passwd', 'utf8') : '';
  return /^patchpaneld:/m.test(passwd) ? 'patchpaneld' : '65534:65534';
}

/** The bus, then the daemon in the host namespace; resolves once it says it is ready. */
async function startProduct(bed, vh) {
  const bus = await bed.dbus({ policyFile: POLICY });
  const config = {
    busAddress: bus.address,
    jail: 'bwrap',
    helperUser: helperUser(),
    devices: { backend: 'netlink' },
    connectedNamespaces: { netnsPrefix: `${bed.prefix}-cns` },
  };
  const configFile = path.join(bed.runDir, 'patchpanel.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const daemon = await bed.spawn(vh.host, [process.execPath, DAEMON, '--config', configFile], {
    ready: { stdout: /"msg":"patchpaneld ready"/, timeoutMs: 30_000 },
  });
  const cliArgv = (args) => [process.execPath, CLI, '--bus-address', bus.address, '--json', ...args];
  return {
    bus,
    config,
    daemon,
    /** `patchpanel connect-ns`, left running: it holds the lifeline until it gets SIGINT. */
    async connectNamespace(pid) {
      const args = ['connect-ns', '--pid', String(pid), '--source', 'user'];
      const holder = await bed.spawn(vh.host, cliArgv(args), {
        ready: { stdout: /"peerIpv4"/, stderr: /holding the lifeline/ },
      });
      const line = holder
        .output()
        .split('\n')
        .find((text) => text.startsWith('{'));
      return { args, holder, connection: JSON.parse(line) };
    },
    /** `patchpanel port-rule …` to its end; rejects with its message when it fails. */
    async portRule(args) {
      const { stdout } = await vh.host.exec(cliArgv(['port-rule', ...args]));
      return JSON.parse(stdout);
    },
  };
}

module.exports = { POLICY, startProduct };
