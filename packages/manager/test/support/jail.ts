import type { Jail } from '../../src/helpers/jail/jail';

/** Runs whatever `inner` plans inside the network namespace at `netnsPath`, so helpers never sit in the root one. */
export function inNetns(inner: Jail, netnsPath: string): Jail {
  return {
    kind: inner.kind,
    async plan(spec, identity) {
      const plan = await inner.plan(spec, identity);
      return { ...plan, file: 'nsenter', args: [`--net=${netnsPath}`, '--', plan.file, ...plan.args] };
    },
  };
}
