import path from 'node:path';
import { buildPortRuleSet, ownerId, type RuleSet } from '../../../src/datapath/firewall';
import {
  type NftJump,
  parseEchoedJumps,
  renderBaseTable,
  renderInstall,
  renderRemove,
  renderRemoveFound,
} from '../../../src/datapath/firewall/nft';
import {
  access,
  base,
  BUILDER_CASES as CASES,
  codeOf,
  forwarding,
  lockdown,
  namespace,
} from '../../support/firewall-fixtures';
import { expectGolden } from '../../support/golden';

const golden = (name: string) => path.join(__dirname, 'golden', name);
const script = (commands: readonly string[]) => `${commands.join('\n')}\n`;

describe('install', () => {
  test.each(Object.keys(CASES))('%s', (name) => {
    expectGolden(golden(`nft-${name}.nft`), script(renderInstall(CASES[name]!)));
  });

  test('the base table: created afresh, then one base chain per hook of each table', () => {
    expectGolden(golden('nft-base-table.nft'), script(renderBaseTable()));
  });

  /** A rule in a base chain `pp_<table>_<HOOK>`: the jump into one of the owner's hook chains. */
  const inBaseChain = (command: string) =>
    /^(add|insert) rule inet patchpanel pp_[a-z]+_[A-Z]+ /.test(command);

  test('chains, then rules, then the jumps into them; every rule tagged', () => {
    const commands = renderInstall(base());
    const stages = commands.map((c) => (c.startsWith('add chain') ? 0 : inBaseChain(c) ? 2 : 1));
    expect(stages).toEqual([...stages].sort());
    expect(new Set(stages)).toEqual(new Set([0, 1, 2]));
    expect(commands.filter((c) => c.includes(' rule ')).every((c) => c.endsWith(' comment "pp:base"'))).toBe(
      true,
    );
  });

  test('position first inserts the jumps ahead of the others, last appends them', () => {
    const hookJumps = (set: RuleSet) => renderInstall(set).filter(inBaseChain);
    expect(hookJumps(access(1, 5555))).toEqual([
      'insert rule inet patchpanel pp_filter_INPUT jump pp_filter_port1_INPUT comment "pp:port1"',
    ]);
    expect(hookJumps(namespace(0)).every((c) => c.startsWith('add rule '))).toBe(true);
    expect(hookJumps(namespace(0))).toHaveLength(3);
  });
});

/** Real `nft -e -a` echo (nft 1.0.6) of renderInstall(base) then renderInstall(ns0), the jumps only. */
const ECHOED = `
add rule inet patchpanel pp_mangle_base_OUTPUT handle 18 jump pp_mangle_base_src_mark comment "pp:base" # handle 19
add rule inet patchpanel pp_mangle_base_OUTPUT meta mark & 0x0000c000 == 0x00008000 jump pp_mangle_base_vpn_mark comment "pp:base" # handle 20
insert rule inet patchpanel pp_mangle_OUTPUT jump pp_mangle_base_OUTPUT comment "pp:base" # handle 33
insert rule inet patchpanel pp_filter_FORWARD jump pp_filter_base_FORWARD comment "pp:base" # handle 34
insert rule inet patchpanel pp_filter_OUTPUT jump pp_filter_base_OUTPUT comment "pp:base" # handle 35
add rule inet patchpanel pp_mangle_ns0_PREROUTING iifname "arc_ns0" jump pp_mangle_base_vpn_mark comment "pp:ns0" # handle 41
add rule inet patchpanel pp_mangle_PREROUTING jump pp_mangle_ns0_PREROUTING comment "pp:ns0" # handle 46
add rule inet patchpanel pp_nat_POSTROUTING jump pp_nat_ns0_POSTROUTING comment "pp:ns0" # handle 47
add rule inet patchpanel pp_filter_FORWARD jump pp_filter_ns0_FORWARD comment "pp:ns0" # handle 48
`;

describe('remove', () => {
  const jumps = parseEchoedJumps(ECHOED);

  test('an owner: its hook jumps by handle, then its chains flushed, then deleted (filter, nat, mangle)', () => {
    expect(renderRemove(namespace(0), jumps)).toEqual([
      'delete rule inet patchpanel pp_mangle_PREROUTING handle 46',
      'delete rule inet patchpanel pp_nat_POSTROUTING handle 47',
      'delete rule inet patchpanel pp_filter_FORWARD handle 48',
      'flush chain inet patchpanel pp_filter_ns0_FORWARD',
      'flush chain inet patchpanel pp_nat_ns0_POSTROUTING',
      'flush chain inet patchpanel pp_mangle_ns0_PREROUTING',
      'delete chain inet patchpanel pp_filter_ns0_FORWARD',
      'delete chain inet patchpanel pp_nat_ns0_POSTROUTING',
      'delete chain inet patchpanel pp_mangle_ns0_PREROUTING',
    ]);
  });

  test('the jumps inside its own chains go with the flush; other owners keep theirs', () => {
    const commands = renderRemove(base(), jumps);
    expect(commands.filter((c) => c.startsWith('delete rule'))).toEqual([
      'delete rule inet patchpanel pp_mangle_OUTPUT handle 33',
      'delete rule inet patchpanel pp_filter_FORWARD handle 34',
      'delete rule inet patchpanel pp_filter_OUTPUT handle 35',
    ]);
    expect(commands.filter((c) => c.startsWith('delete chain'))).toHaveLength(5);
  });

  test('a hook chain without a recorded jump, or a handle that is not one: a coded error', () => {
    const withoutFilter = jumps.filter((j) => j.handle !== 48);
    expect(codeOf(() => renderRemove(namespace(0), withoutFilter))).toBe('PP_ERR_FIREWALL_STATE');
    const bad: NftJump = { ...jumps.find((j) => j.handle === 48)!, handle: 1.5 };
    expect(codeOf(() => renderRemove(namespace(0), [...withoutFilter, bad]))).toBe('PP_ERR_FIREWALL_RULE');
  });
});

/** Real `nft -a list table inet patchpanel` (nft 1.0.6) with base, ns0 and port5; empty base chains left out. */
const LISTED = `table inet patchpanel { # handle 4
	chain pp_mangle_PREROUTING { # handle 1
		type filter hook prerouting priority mangle; policy accept;
		jump pp_mangle_ns0_PREROUTING comment "pp:ns0" # handle 46
	}

	chain pp_mangle_OUTPUT { # handle 4
		type route hook output priority mangle; policy accept;
		jump pp_mangle_base_OUTPUT comment "pp:base" # handle 33
	}

	chain pp_nat_PREROUTING { # handle 6
		type nat hook prerouting priority dstnat; policy accept;
		jump pp_nat_port5_PREROUTING comment "pp:port5" # handle 53
	}

	chain pp_nat_POSTROUTING { # handle 9
		type nat hook postrouting priority srcnat; policy accept;
		jump pp_nat_ns0_POSTROUTING comment "pp:ns0" # handle 47
	}

	chain pp_filter_FORWARD { # handle 11
		type filter hook forward priority filter; policy accept;
		jump pp_filter_port5_FORWARD comment "pp:port5" # handle 54
		jump pp_filter_base_FORWARD comment "pp:base" # handle 34
		jump pp_filter_ns0_FORWARD comment "pp:ns0" # handle 48
	}

	chain pp_filter_OUTPUT { # handle 12
		type filter hook output priority filter; policy accept;
		jump pp_filter_base_OUTPUT comment "pp:base" # handle 35
	}

	chain pp_mangle_base_OUTPUT { # handle 13
		meta mark set ct mark & 0xffff0000 comment "pp:base" # handle 18
		jump pp_mangle_base_src_mark comment "pp:base" # handle 19
		meta mark & 0x0000c000 == 0x00008000 jump pp_mangle_base_vpn_mark comment "pp:base" # handle 20
	}

	chain pp_mangle_base_src_mark { # handle 14
		meta skuid 1000 meta mark set meta mark & 0xffff81ff | 0x00008100 comment "pp:base" # handle 21
		meta mark & 0x00003f00 == 0x00000000 meta mark set meta mark & 0xffffc4ff | 0x00000400 comment "pp:base" # handle 23
	}

	chain pp_mangle_base_vpn_mark { # handle 15
		meta mark != 0x00000000/16 return comment "pp:base" # handle 24
	}

	chain pp_filter_base_FORWARD { # handle 16
		ct state { established, related } accept comment "pp:base" # handle 26
	}

	chain pp_filter_base_OUTPUT { # handle 17
		ip saddr 100.115.92.0/23 oifname "eth*" drop comment "pp:base" # handle 27
	}

	chain pp_mangle_ns0_PREROUTING { # handle 36
		iifname "arc_ns0" meta mark set meta mark & 0xffffc4ff | 0x00000400 comment "pp:ns0" # handle 39
		iifname "arc_ns0" jump pp_mangle_base_vpn_mark comment "pp:ns0" # handle 41
	}

	chain pp_nat_ns0_POSTROUTING { # handle 37
		ip saddr 100.115.92.128/30 oifname != "arc_ns0" masquerade comment "pp:ns0" # handle 42
	}

	chain pp_filter_ns0_FORWARD { # handle 38
		iifname "arc_ns0" ct state invalid drop comment "pp:ns0" # handle 43
	}

	chain pp_nat_port5_PREROUTING { # handle 49
		meta nfproto ipv4 iifname "eth0" tcp dport 8022 dnat ip to 100.115.92.130:22 comment "pp:port5" # handle 51
	}

	chain pp_filter_port5_FORWARD { # handle 50
		iifname "eth0" ip daddr 100.115.92.130 tcp dport 22 accept comment "pp:port5" # handle 52
	}
}
`;

describe('remove what is found', () => {
  test('an owner by name: every jump into its chains from a chain not its own, then its chains', () => {
    expect(renderRemoveFound(ownerId('ns0'), LISTED)).toEqual([
      'delete rule inet patchpanel pp_mangle_PREROUTING handle 46',
      'delete rule inet patchpanel pp_nat_POSTROUTING handle 47',
      'delete rule inet patchpanel pp_filter_FORWARD handle 48',
      'flush chain inet patchpanel pp_mangle_ns0_PREROUTING',
      'flush chain inet patchpanel pp_nat_ns0_POSTROUTING',
      'flush chain inet patchpanel pp_filter_ns0_FORWARD',
      'delete chain inet patchpanel pp_mangle_ns0_PREROUTING',
      'delete chain inet patchpanel pp_nat_ns0_POSTROUTING',
      'delete chain inet patchpanel pp_filter_ns0_FORWARD',
    ]);
  });

  test("the base: also another owner's jump into its chains; its own jumps go with the flush", () => {
    const deletes = renderRemoveFound(ownerId('base'), LISTED).filter((c) => c.startsWith('delete rule'));
    expect(deletes.map((c) => c.replace(/^delete rule inet patchpanel /, ''))).toEqual([
      'pp_mangle_OUTPUT handle 33',
      'pp_filter_FORWARD handle 34',
      'pp_filter_OUTPUT handle 35',
      'pp_mangle_ns0_PREROUTING handle 41',
    ]);
  });

  test('nothing for an owner without chains, a prefix of an owner, or no table', () => {
    expect(renderRemoveFound(ownerId('port9'), LISTED)).toEqual([]);
    expect(renderRemoveFound(ownerId('port'), LISTED)).toEqual([]);
    expect(renderRemoveFound(ownerId('ns0'), '')).toEqual([]);
  });

  test('an owner id that is not one: a coded error', () => {
    expect(codeOf(() => renderRemoveFound('ns0_' as never, LISTED))).toBe('PP_ERR_FIREWALL_RULE');
  });
});
