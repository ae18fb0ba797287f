import path from 'node:path';
import {
  createFakeBackend,
  createFirewall,
  FAMILIES,
  planInstall,
  renderRestoreScript,
} from '../../../src/datapath/firewall';
import {
  access,
  base,
  BUILDER_CASES as CASES,
  forwarding,
  lockdown,
  namespace,
  silentLog,
} from '../../support/firewall-fixtures';
import { expectGolden } from '../../support/golden';

const golden = (name: string) => path.join(__dirname, 'golden', name);

test.each(Object.keys(CASES))('%s', (name) => {
  const set = CASES[name]!;
  const text = FAMILIES.map((family) => `# ${family}\n${renderRestoreScript(planInstall(set, family))}`).join(
    '',
  );
  expectGolden(golden(`${name}.restore`), text);
});

test('the chain layout with a base, two namespaces and three port rules', async () => {
  const backend = createFakeBackend();
  const firewall = createFirewall({ backend, log: silentLog });
  await firewall.start(base());
  for (const set of [namespace(0), namespace(2, { outbound: { ifname: 'eth0', ifindex: 2 } })])
    await firewall.apply(set);
  for (const set of [access(1, 5555, 'eth0'), lockdown(3, 8080), forwarding(5, 8022, '100.115.92.130', 22)]) {
    await firewall.apply(set);
  }
  expectGolden(golden('layout.ipv4.dump'), await backend.dump('ipv4'));
  expectGolden(golden('layout.ipv6.dump'), await backend.dump('ipv6'));
});

test('spec §8.1: FORWARDING is IPv4 only, ACCESS and LOCKDOWN are both families', () => {
  expect(forwarding(1, 8022, '100.115.92.130', 22).rules.every((r) => r.family === 'ipv4')).toBe(true);
  expect(access(1, 1).rules.every((r) => r.family === 'both')).toBe(true);
  expect(lockdown(1, 1).rules.every((r) => r.family === 'both')).toBe(true);
});
