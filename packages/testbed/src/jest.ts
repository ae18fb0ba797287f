import { PrivilegeError } from './errors';
import { missingPrivileges } from './privileges';
import { createTestbed, type Testbed, type TestbedOptions } from './testbed';

export interface SuiteContext {
  /** The file's bed; available inside tests and hooks (created in beforeAll). */
  readonly bed: Testbed;
}

export interface IntegrationSuiteOptions extends TestbedOptions {
  /** Timeout of the beforeAll/afterAll hooks that build and remove the bed (default 60 s). */
  readonly hookTimeoutMs?: number;
}

/**
 * A describe block with a bed built in beforeAll and torn down in afterAll. Without root it is skipped with
 * a warning on a developer machine and fails when CI is set, so a misconfigured runner cannot pass silently.
 */
export function integrationSuite(
  name: string,
  fn: (ctx: SuiteContext) => void,
  options: IntegrationSuiteOptions = {},
): void {
  let bed: Testbed | undefined;
  const ctx: SuiteContext = {
    get bed(): Testbed {
      if (bed === undefined) throw new PrivilegeError('the test bed exists only inside tests and hooks');
      return bed;
    },
  };
  const problem = missingPrivileges();
  if (problem !== undefined) {
    const why = `integration tests need root with CAP_NET_ADMIN and CAP_SYS_ADMIN; this process ${problem}`;
    if (process.env.CI) {
      describe(name, () => {
        test('runs with the privileges integration tests need (CI is set)', () => {
          throw new PrivilegeError(why);
        });
      });
      return;
    }
    process.emitWarning(`skipping "${name}": ${why}`, { code: 'PP_TESTBED_SKIPPED' });
    describe.skip(`${name} (skipped: ${why})`, () => fn(ctx));
    return;
  }
  const { hookTimeoutMs = 60_000, ...bedOptions } = options;
  describe(name, () => {
    beforeAll(async () => {
      bed = await createTestbed({ label: name, ...bedOptions });
    }, hookTimeoutMs);
    afterAll(async () => {
      await bed?.teardown();
    }, hookTimeoutMs);
    fn(ctx);
  });
}
