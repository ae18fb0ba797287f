import path from 'node:path';
import {
  ACCEPT,
  conntrackState,
  inInterface,
  outInterface,
  ownerId,
  type RuleSet,
  type RuleSetBuilder,
  ruleSet,
} from '../../../src/datapath/firewall';
import {
  dispatchOf,
  jumpsInListing,
  type NftJump,
  parseListing,
  renderInstall,
  renderRemove,
  renderRemoveFound,
  renderTable,
} from '../../../src/datapath/firewall/nft';
import {
  access,
  base,
  BUILDER_CASES as CASES,
  codeOf,
  forwarding,
  namespace,
} from '../../support/firewall-fixtures';
import { expectGolden } from '../../support/golden';

const golden = (name: string) => path.join(__dirname, 'golden', name);
const script = (commands: readonly string[]) => `${commands.join('\n')}\n`;

describe('install', () => {
  test.each(Object.keys(CASES))('%s', (name) => {
    expectGolden(golden(`nft-${name}.nft`), script(renderInstall(CASES[name]!)));
  });

  test('the table with the base: made afresh, the owner chains before the base chains and maps, then the rest', () => {
    const commands = renderTable([base()]);
    expectGolden(golden('nft-base-table.nft'), script(commands));
    const firstMap = commands.findIndex((c) => c.startsWith('add map'));
    const lastOwnerChain = commands
      .map((c) => c.startsWith('add chain inet patchpanel pp_mangle_base_'))
      .lastIndexOf(true);
    expect(lastOwnerChain).toBeLessThan(firstMap);
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

  test('position first inserts jumps ahead of the others; a guest (last) is reached by map elements only', () => {
    const hookJumps = (set: RuleSet) => renderInstall(set).filter(inBaseChain);
    expect(hookJumps(access(1, 5555))).toEqual([
      'insert rule inet patchpanel pp_filter_INPUT jump pp_filter_port1_INPUT comment "pp:port1"',
    ]);
    expect(hookJumps(namespace(0))).toEqual([]);
    expect(renderInstall(namespace(0)).filter((c) => c.startsWith('add element'))).toEqual([
      'add element inet patchpanel pp_mangle_PREROUTING_iif { "arc_ns0" : jump pp_mangle_ns0_PREROUTING_iif }',
      'add element inet patchpanel pp_nat_POSTROUTING_saddr4 { 100.115.92.128/30 : jump pp_nat_ns0_POSTROUTING_saddr4 }',
      'add element inet patchpanel pp_filter_FORWARD_iif { "arc_ns0" : jump pp_filter_ns0_FORWARD_iif }',
      'add element inet patchpanel pp_filter_FORWARD_oif { "arc_ns0" : jump pp_filter_ns0_FORWARD_oif }',
    ]);
  });

  test('a guest chain that cannot be keyed (no key, a wildcard, parts out of map order) is jumped to', () => {
    const guest = (matches: Parameters<RuleSetBuilder['add']>[3][]) => {
      const b = ruleSet('ns7', 'last');
      for (const m of matches) b.add('both', 'filter', 'FORWARD', m, ACCEPT);
      return b.build();
    };
    expect(
      dispatchOf(guest([[inInterface('arc_ns7')], [outInterface('arc_ns7')]]), 'filter', 'FORWARD').kind,
    ).toBe('keyed');
    for (const matches of [
      [[conntrackState('INVALID')]],
      [[inInterface('arc+')]],
      [[outInterface('arc_ns7')], [inInterface('arc_ns7')]],
      [[inInterface('arc_ns7')], [inInterface('arc_ns8')]],
      [[inInterface('arc_ns7', { invert: true })]],
    ]) {
      expect(dispatchOf(guest(matches), 'filter', 'FORWARD').kind).toBe('jump');
    }
  });
});

/**
 * Real `nft -a list table inet patchpanel` (nft 1.0.6) after renderTable([base]), renderInstall(ns0) and
 * renderInstall(port5): ns0 is reached through the maps, the base and port5 by jump rules.
 */
const LISTED = `table inet patchpanel { # handle 2
	map pp_mangle_PREROUTING_iif { # handle 7
		type ifname : verdict
		elements = { "arc_ns0" : jump pp_mangle_ns0_PREROUTING_iif }
	}
	map pp_mangle_PREROUTING_oif { # handle 9
		type ifname : verdict
	}
	map pp_mangle_PREROUTING_saddr4 { # handle 11
		type ipv4_addr : verdict
		flags interval
	}
	map pp_mangle_PREROUTING_saddr6 { # handle 13
		type ipv6_addr : verdict
		flags interval
	}
	map pp_mangle_INPUT_iif { # handle 16
		type ifname : verdict
	}
	map pp_mangle_INPUT_oif { # handle 18
		type ifname : verdict
	}
	map pp_mangle_INPUT_saddr4 { # handle 20
		type ipv4_addr : verdict
		flags interval
	}
	map pp_mangle_INPUT_saddr6 { # handle 22
		type ipv6_addr : verdict
		flags interval
	}
	map pp_mangle_FORWARD_iif { # handle 25
		type ifname : verdict
	}
	map pp_mangle_FORWARD_oif { # handle 27
		type ifname : verdict
	}
	map pp_mangle_FORWARD_saddr4 { # handle 29
		type ipv4_addr : verdict
		flags interval
	}
	map pp_mangle_FORWARD_saddr6 { # handle 31
		type ipv6_addr : verdict
		flags interval
	}
	map pp_mangle_OUTPUT_iif { # handle 34
		type ifname : verdict
	}
	map pp_mangle_OUTPUT_oif { # handle 36
		type ifname : verdict
	}
	map pp_mangle_OUTPUT_saddr4 { # handle 38
		type ipv4_addr : verdict
		flags interval
	}
	map pp_mangle_OUTPUT_saddr6 { # handle 40
		type ipv6_addr : verdict
		flags interval
	}
	map pp_mangle_POSTROUTING_iif { # handle 43
		type ifname : verdict
	}
	map pp_mangle_POSTROUTING_oif { # handle 45
		type ifname : verdict
	}
	map pp_mangle_POSTROUTING_saddr4 { # handle 47
		type ipv4_addr : verdict
		flags interval
	}
	map pp_mangle_POSTROUTING_saddr6 { # handle 49
		type ipv6_addr : verdict
		flags interval
	}
	map pp_nat_PREROUTING_iif { # handle 52
		type ifname : verdict
	}
	map pp_nat_PREROUTING_oif { # handle 54
		type ifname : verdict
	}
	map pp_nat_PREROUTING_saddr4 { # handle 56
		type ipv4_addr : verdict
		flags interval
	}
	map pp_nat_PREROUTING_saddr6 { # handle 58
		type ipv6_addr : verdict
		flags interval
	}
	map pp_nat_INPUT_iif { # handle 61
		type ifname : verdict
	}
	map pp_nat_INPUT_oif { # handle 63
		type ifname : verdict
	}
	map pp_nat_INPUT_saddr4 { # handle 65
		type ipv4_addr : verdict
		flags interval
	}
	map pp_nat_INPUT_saddr6 { # handle 67
		type ipv6_addr : verdict
		flags interval
	}
	map pp_nat_OUTPUT_iif { # handle 70
		type ifname : verdict
	}
	map pp_nat_OUTPUT_oif { # handle 72
		type ifname : verdict
	}
	map pp_nat_OUTPUT_saddr4 { # handle 74
		type ipv4_addr : verdict
		flags interval
	}
	map pp_nat_OUTPUT_saddr6 { # handle 76
		type ipv6_addr : verdict
		flags interval
	}
	map pp_nat_POSTROUTING_iif { # handle 79
		type ifname : verdict
	}
	map pp_nat_POSTROUTING_oif { # handle 81
		type ifname : verdict
	}
	map pp_nat_POSTROUTING_saddr4 { # handle 83
		type ipv4_addr : verdict
		flags interval
		elements = { 100.115.92.128/30 : jump pp_nat_ns0_POSTROUTING_saddr4 }
	}
	map pp_nat_POSTROUTING_saddr6 { # handle 85
		type ipv6_addr : verdict
		flags interval
	}
	map pp_filter_INPUT_iif { # handle 88
		type ifname : verdict
	}
	map pp_filter_INPUT_oif { # handle 90
		type ifname : verdict
	}
	map pp_filter_INPUT_saddr4 { # handle 92
		type ipv4_addr : verdict
		flags interval
	}
	map pp_filter_INPUT_saddr6 { # handle 94
		type ipv6_addr : verdict
		flags interval
	}
	map pp_filter_FORWARD_iif { # handle 97
		type ifname : verdict
		elements = { "arc_ns0" : jump pp_filter_ns0_FORWARD_iif }
	}
	map pp_filter_FORWARD_oif { # handle 99
		type ifname : verdict
		elements = { "arc_ns0" : jump pp_filter_ns0_FORWARD_oif }
	}
	map pp_filter_FORWARD_saddr4 { # handle 101
		type ipv4_addr : verdict
		flags interval
	}
	map pp_filter_FORWARD_saddr6 { # handle 103
		type ipv6_addr : verdict
		flags interval
	}
	map pp_filter_OUTPUT_iif { # handle 106
		type ifname : verdict
	}
	map pp_filter_OUTPUT_oif { # handle 108
		type ifname : verdict
	}
	map pp_filter_OUTPUT_saddr4 { # handle 110
		type ipv4_addr : verdict
		flags interval
	}
	map pp_filter_OUTPUT_saddr6 { # handle 112
		type ipv6_addr : verdict
		flags interval
	}
	chain pp_mangle_base_OUTPUT { # handle 1
		meta mark set ct mark & 0xffff0000 comment "pp:base" # handle 114
		jump pp_mangle_base_src_mark comment "pp:base" # handle 115
		meta mark & 0x0000c000 == 0x00008000 jump pp_mangle_base_vpn_mark comment "pp:base" # handle 116
	}
	chain pp_mangle_base_src_mark { # handle 2
		meta skuid 1000 meta mark set meta mark & 0xffff81ff | 0x00008100 comment "pp:base" # handle 117
		meta mark & 0x00003f00 == 0x00000000 meta mark set meta mark & 0xffffc4ff | 0x00000400 comment "pp:base" # handle 118
	}
	chain pp_mangle_base_vpn_mark { # handle 3
		meta mark != 0x00000000/16 return comment "pp:base" # handle 119
	}
	chain pp_filter_base_FORWARD { # handle 4
		ct state { established, related } accept comment "pp:base" # handle 121
	}
	chain pp_filter_base_OUTPUT { # handle 5
		ip saddr 100.115.92.0/23 oifname "eth*" drop comment "pp:base" # handle 122
		ip saddr 100.115.92.0/23 oifname "wlan*" drop comment "pp:base" # handle 123
		ip saddr 100.115.92.0/23 oifname "mlan*" drop comment "pp:base" # handle 124
		ip saddr 100.115.92.0/23 oifname "usb*" drop comment "pp:base" # handle 125
		ip saddr 100.115.92.0/23 oifname "wwan*" drop comment "pp:base" # handle 126
		ip saddr 100.115.92.0/23 oifname "rmnet*" drop comment "pp:base" # handle 127
	}
	chain pp_mangle_PREROUTING { # handle 6
		type filter hook prerouting priority mangle; policy accept;
		iifname vmap @pp_mangle_PREROUTING_iif # handle 8
		oifname vmap @pp_mangle_PREROUTING_oif # handle 10
		ip saddr vmap @pp_mangle_PREROUTING_saddr4 # handle 12
		ip6 saddr vmap @pp_mangle_PREROUTING_saddr6 # handle 14
	}
	chain pp_mangle_INPUT { # handle 15
		type filter hook input priority mangle; policy accept;
		iifname vmap @pp_mangle_INPUT_iif # handle 17
		oifname vmap @pp_mangle_INPUT_oif # handle 19
		ip saddr vmap @pp_mangle_INPUT_saddr4 # handle 21
		ip6 saddr vmap @pp_mangle_INPUT_saddr6 # handle 23
	}
	chain pp_mangle_FORWARD { # handle 24
		type filter hook forward priority mangle; policy accept;
		iifname vmap @pp_mangle_FORWARD_iif # handle 26
		oifname vmap @pp_mangle_FORWARD_oif # handle 28
		ip saddr vmap @pp_mangle_FORWARD_saddr4 # handle 30
		ip6 saddr vmap @pp_mangle_FORWARD_saddr6 # handle 32
	}
	chain pp_mangle_OUTPUT { # handle 33
		type route hook output priority mangle; policy accept;
		jump pp_mangle_base_OUTPUT comment "pp:base" # handle 128
		iifname vmap @pp_mangle_OUTPUT_iif # handle 35
		oifname vmap @pp_mangle_OUTPUT_oif # handle 37
		ip saddr vmap @pp_mangle_OUTPUT_saddr4 # handle 39
		ip6 saddr vmap @pp_mangle_OUTPUT_saddr6 # handle 41
	}
	chain pp_mangle_POSTROUTING { # handle 42
		type filter hook postrouting priority mangle; policy accept;
		iifname vmap @pp_mangle_POSTROUTING_iif # handle 44
		oifname vmap @pp_mangle_POSTROUTING_oif # handle 46
		ip saddr vmap @pp_mangle_POSTROUTING_saddr4 # handle 48
		ip6 saddr vmap @pp_mangle_POSTROUTING_saddr6 # handle 50
	}
	chain pp_nat_PREROUTING { # handle 51
		type nat hook prerouting priority dstnat; policy accept;
		jump pp_nat_port5_PREROUTING comment "pp:port5" # handle 146
		iifname vmap @pp_nat_PREROUTING_iif # handle 53
		oifname vmap @pp_nat_PREROUTING_oif # handle 55
		ip saddr vmap @pp_nat_PREROUTING_saddr4 # handle 57
		ip6 saddr vmap @pp_nat_PREROUTING_saddr6 # handle 59
	}
	chain pp_nat_INPUT { # handle 60
		type nat hook input priority 100; policy accept;
		iifname vmap @pp_nat_INPUT_iif # handle 62
		oifname vmap @pp_nat_INPUT_oif # handle 64
		ip saddr vmap @pp_nat_INPUT_saddr4 # handle 66
		ip6 saddr vmap @pp_nat_INPUT_saddr6 # handle 68
	}
	chain pp_nat_OUTPUT { # handle 69
		type nat hook output priority -100; policy accept;
		iifname vmap @pp_nat_OUTPUT_iif # handle 71
		oifname vmap @pp_nat_OUTPUT_oif # handle 73
		ip saddr vmap @pp_nat_OUTPUT_saddr4 # handle 75
		ip6 saddr vmap @pp_nat_OUTPUT_saddr6 # handle 77
	}
	chain pp_nat_POSTROUTING { # handle 78
		type nat hook postrouting priority srcnat; policy accept;
		iifname vmap @pp_nat_POSTROUTING_iif # handle 80
		oifname vmap @pp_nat_POSTROUTING_oif # handle 82
		ip saddr vmap @pp_nat_POSTROUTING_saddr4 # handle 84
		ip6 saddr vmap @pp_nat_POSTROUTING_saddr6 # handle 86
	}
	chain pp_filter_INPUT { # handle 87
		type filter hook input priority filter; policy accept;
		iifname vmap @pp_filter_INPUT_iif # handle 89
		oifname vmap @pp_filter_INPUT_oif # handle 91
		ip saddr vmap @pp_filter_INPUT_saddr4 # handle 93
		ip6 saddr vmap @pp_filter_INPUT_saddr6 # handle 95
	}
	chain pp_filter_FORWARD { # handle 96
		type filter hook forward priority filter; policy accept;
		jump pp_filter_port5_FORWARD comment "pp:port5" # handle 147
		jump pp_filter_base_FORWARD comment "pp:base" # handle 129
		iifname vmap @pp_filter_FORWARD_iif # handle 98
		oifname vmap @pp_filter_FORWARD_oif # handle 100
		ip saddr vmap @pp_filter_FORWARD_saddr4 # handle 102
		ip6 saddr vmap @pp_filter_FORWARD_saddr6 # handle 104
	}
	chain pp_filter_OUTPUT { # handle 105
		type filter hook output priority filter; policy accept;
		jump pp_filter_base_OUTPUT comment "pp:base" # handle 130
		iifname vmap @pp_filter_OUTPUT_iif # handle 107
		oifname vmap @pp_filter_OUTPUT_oif # handle 109
		ip saddr vmap @pp_filter_OUTPUT_saddr4 # handle 111
		ip6 saddr vmap @pp_filter_OUTPUT_saddr6 # handle 113
	}
	chain pp_mangle_ns0_PREROUTING_iif { # handle 131
		iifname "arc_ns0" meta mark set ct mark & 0xffff0000 comment "pp:ns0" # handle 135
		iifname "arc_ns0" meta mark set meta mark & 0xffffc4ff | 0x00000400 comment "pp:ns0" # handle 136
		iifname "arc_ns0" jump pp_mangle_base_vpn_mark comment "pp:ns0" # handle 137
	}
	chain pp_nat_ns0_POSTROUTING_saddr4 { # handle 132
		ip saddr 100.115.92.128/30 oifname != "arc_ns0" masquerade comment "pp:ns0" # handle 138
	}
	chain pp_filter_ns0_FORWARD_iif { # handle 133
		iifname "arc_ns0" ct state invalid drop comment "pp:ns0" # handle 139
		iifname "arc_ns0" accept comment "pp:ns0" # handle 140
	}
	chain pp_filter_ns0_FORWARD_oif { # handle 134
		oifname "arc_ns0" accept comment "pp:ns0" # handle 141
	}
	chain pp_nat_port5_PREROUTING { # handle 142
		meta nfproto ipv4 iifname "eth0" tcp dport 8022 dnat ip to 100.115.92.130:22 comment "pp:port5" # handle 144
	}
	chain pp_filter_port5_FORWARD { # handle 143
		iifname "eth0" ip daddr 100.115.92.130 tcp dport 22 accept comment "pp:port5" # handle 145
	}
}
`;

const ns0 = namespace(0);
const port5 = forwarding(5, 8022, '100.115.92.130', 22);

describe('remove', () => {
  test('a keyed owner: its map elements by key, then its chains flushed, then deleted (filter, nat, mangle)', () => {
    expect(renderRemove(ns0, [])).toEqual([
      'delete element inet patchpanel pp_filter_FORWARD_iif { "arc_ns0" }',
      'delete element inet patchpanel pp_filter_FORWARD_oif { "arc_ns0" }',
      'delete element inet patchpanel pp_nat_POSTROUTING_saddr4 { 100.115.92.128/30 }',
      'delete element inet patchpanel pp_mangle_PREROUTING_iif { "arc_ns0" }',
      'flush chain inet patchpanel pp_filter_ns0_FORWARD_iif',
      'flush chain inet patchpanel pp_filter_ns0_FORWARD_oif',
      'flush chain inet patchpanel pp_nat_ns0_POSTROUTING_saddr4',
      'flush chain inet patchpanel pp_mangle_ns0_PREROUTING_iif',
      'delete chain inet patchpanel pp_filter_ns0_FORWARD_iif',
      'delete chain inet patchpanel pp_filter_ns0_FORWARD_oif',
      'delete chain inet patchpanel pp_nat_ns0_POSTROUTING_saddr4',
      'delete chain inet patchpanel pp_mangle_ns0_PREROUTING_iif',
    ]);
  });

  test('a jumped owner: its jumps by the handles the listing shows, then its chains', () => {
    const jumps = jumpsInListing(port5, parseListing(LISTED));
    expect(jumps.map((j) => j.chain).sort()).toEqual(['pp_filter_FORWARD', 'pp_nat_PREROUTING']);
    const commands = renderRemove(port5, jumps);
    expect(commands.filter((c) => c.startsWith('delete rule')).sort()).toEqual(
      jumps.map((j) => `delete rule inet patchpanel ${j.chain} handle ${j.handle}`).sort(),
    );
    expect(commands.filter((c) => c.startsWith('delete chain'))).toHaveLength(2);
  });

  test('the base: the jumps inside its own chains go with the flush', () => {
    const jumps = jumpsInListing(base(), parseListing(LISTED));
    expect(jumps.map((j) => j.chain).sort()).toEqual([
      'pp_filter_FORWARD',
      'pp_filter_OUTPUT',
      'pp_mangle_OUTPUT',
    ]);
    expect(renderRemove(base(), jumps).filter((c) => c.startsWith('delete rule'))).toHaveLength(3);
  });

  test('a jumped hook chain without a recorded jump, or a handle that is not one: a coded error', () => {
    const jumps = jumpsInListing(port5, parseListing(LISTED));
    expect(codeOf(() => renderRemove(port5, jumps.slice(1)))).toBe('PP_ERR_FIREWALL_STATE');
    const bad: NftJump = { ...(jumps[0] as NftJump), handle: 1.5 };
    expect(codeOf(() => renderRemove(port5, [bad, ...jumps.slice(1)]))).toBe('PP_ERR_FIREWALL_RULE');
  });
});

describe('remove what is found', () => {
  test('an owner by name: its map elements and the jumps into its chains, then its chains', () => {
    const found = renderRemoveFound(ownerId('ns0'), LISTED);
    expect(found.filter((c) => c.startsWith('delete element')).sort()).toEqual(
      renderRemove(ns0, [])
        .filter((c) => c.startsWith('delete element'))
        .sort(),
    );
    expect(found.filter((c) => c.startsWith('delete chain')).sort()).toEqual(
      renderRemove(ns0, [])
        .filter((c) => c.startsWith('delete chain'))
        .sort(),
    );
    expect(found.some((c) => c.startsWith('delete rule'))).toBe(false);
    const port = renderRemoveFound(ownerId('port5'), LISTED);
    expect(port.filter((c) => c.startsWith('delete rule')).sort()).toEqual(
      renderRemove(port5, jumpsInListing(port5, parseListing(LISTED)))
        .filter((c) => c.startsWith('delete rule'))
        .sort(),
    );
  });

  test("the base: also another owner's jump into its chains", () => {
    const deletes = renderRemoveFound(ownerId('base'), LISTED).filter((c) => c.startsWith('delete rule'));
    expect(deletes).toHaveLength(4); // its three hook jumps and ns0's jump into pp_mangle_base_vpn_mark
    expect(
      deletes.some((c) => c.startsWith('delete rule inet patchpanel pp_mangle_ns0_PREROUTING_iif ')),
    ).toBe(true);
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
