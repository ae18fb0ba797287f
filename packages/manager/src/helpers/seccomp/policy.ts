import { SeccompPolicyError } from '../../errors';

/** A parsed minijail policy: the syscalls a helper may make, each allowed unconditionally. */
export interface SeccompPolicy {
  readonly syscalls: readonly string[];
}

const syscallName = /^[a-z_][a-z0-9_]*$/;

/**
 * Parses minijail's text format (`name: 1` per allowed syscall, `#` comments). Argument filters and other
 * actions have no equivalent in the plain allow-list program we hand to bwrap, so they are rejected
 * rather than silently widened to "allow".
 */
export function parseSeccompPolicy(text: string, source = 'policy'): SeccompPolicy {
  const seen = new Set<string>();
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const where = `${source}:${index + 1}`;
    const colon = line.indexOf(':');
    if (colon < 0) throw new SeccompPolicyError(`${where}: expected "<syscall>: 1", got "${line}"`);
    const name = line.slice(0, colon).trim();
    const rule = line.slice(colon + 1).trim();
    if (!syscallName.test(name)) throw new SeccompPolicyError(`${where}: "${name}" is not a syscall name`);
    if (rule !== '1') {
      throw new SeccompPolicyError(
        `${where}: only unconditional rules ("${name}: 1") are supported, got "${rule}"`,
      );
    }
    if (seen.has(name)) throw new SeccompPolicyError(`${where}: "${name}" is listed twice`);
    seen.add(name);
  });
  return { syscalls: [...seen] };
}

/** Renders a policy back to the text format, sorted, one syscall a line. */
export function renderSeccompPolicy(policy: SeccompPolicy, header: readonly string[] = []): string {
  const comments = header.map((line) => `# ${line}`);
  const rules = [...policy.syscalls].sort().map((name) => `${name}: 1`);
  return `${[...comments, ...rules].join('\n')}\n`;
}
