import { isDeepStrictEqual } from 'node:util';
import execa from 'execa';
import type { Logger } from 'pino';
import type { PortRule } from '../api/patchpanel-api';
import { buildPortRuleSet, type Firewall, type RuleSet } from '../datapath/firewall';
import { GuestRequestError } from './errors';

export interface PortRulesOptions {
  readonly firewall: Firewall;
  /** LOCKDOWN exempts this uid (chronos on ChromeOS); undefined rejects every local user. */
  readonly lockdownExemptUid: number | undefined;
  readonly log: Logger;
}

/**
 * ModifyPortRule: each CREATE is one owner with its own chains, so two identical CREATEs are two instances
 * and each DELETE removes exactly one of them (the clients count on that).
 */
export class PortRules {
  private readonly instances: Array<{ readonly rule: PortRule; readonly rules: RuleSet }> = [];
  private readonly log: Logger;
  private nextId = 0;

  constructor(private readonly options: PortRulesOptions) {
    this.log = options.log.child({ component: 'port-rules' });
  }

  async create(rule: PortRule): Promise<void> {
    const rules = buildPortRuleSet({
      owner: `port${this.nextId++}`,
      rule,
      lockdownExemptUid: this.options.lockdownExemptUid,
    });
    await this.options.firewall.apply(rules);
    this.instances.push({ rule, rules });
    await forgetForwardedUdp(rule);
    this.log.info({ owner: rules.owner, rule }, 'port rule created');
  }

  async delete(rule: PortRule): Promise<void> {
    const index = this.instances.findIndex((instance) => isDeepStrictEqual(instance.rule, rule));
    if (index < 0) throw new GuestRequestError(`no such ${rule.type} rule`);
    const [instance] = this.instances.splice(index, 1);
    await this.options.firewall.remove(instance!.rules.owner);
    await forgetForwardedUdp(rule);
    this.log.info({ owner: instance!.rules.owner, rule }, 'port rule deleted');
  }

  async stop(): Promise<void> {
    for (const instance of this.instances.splice(0)) await this.options.firewall.remove(instance.rules.owner);
  }
}

/**
 * UDP has no handshake: a conntrack entry made before a forward changed keeps steering the flow the old way
 * until it times out. Deleting the entries of that port makes the next datagram take the new path.
 * ctnetlink has no binding here, so conntrack(8) does it; "no entry" exits 1 and is fine.
 */
async function forgetForwardedUdp(rule: PortRule): Promise<void> {
  if (rule.type !== 'forwarding' || rule.protocol !== 'udp') return;
  await execa('conntrack', ['-D', '-p', 'udp', '--dport', String(rule.port)], { reject: false });
}
