import { readFile, writeFile } from 'node:fs/promises';

/** The daemon's network-namespace-wide settings (spec §5.2): forwarding on, and Android's ports kept free. */
export const datapathSysctls: Readonly<Record<string, string>> = {
  'net/ipv4/ip_forward': '1',
  'net/ipv6/conf/all/forwarding': '1',
  'net/ipv4/ip_local_port_range': '32768\t47103',
};

/**
 * Writes the settings into /proc/sys of the calling process's network namespace and returns a function that
 * restores what was there before. A setting that cannot be read or written is reported, and the ones already
 * changed are restored first.
 */
export async function applySysctls(
  settings: Readonly<Record<string, string>>,
  procSys = '/proc/sys',
): Promise<() => Promise<void>> {
  const previous: Array<[string, string]> = [];
  const restore = async () => {
    for (const [key, value] of previous.reverse()) await writeFile(`${procSys}/${key}`, value);
  };
  try {
    for (const [key, value] of Object.entries(settings)) {
      const before = (await readFile(`${procSys}/${key}`, 'utf8')).trim();
      await writeFile(`${procSys}/${key}`, value);
      previous.push([key, before]);
    }
  } catch (err) {
    await restore();
    throw err;
  }
  return restore;
}
