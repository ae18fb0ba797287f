import fc from 'fast-check';
import { parseListing } from '../../../src/datapath/firewall/nft';

/** Real `nft -a list table inet patchpanel` output (nft 1.0.6), base chains left out but two. */
const LISTED = `table inet patchpanel { # handle 4
	chain pp_mangle_PREROUTING { # handle 1
		type filter hook prerouting priority mangle; policy accept;
		jump pp_mangle_ns0_PREROUTING comment "pp:ns0" # handle 46
	}

	chain pp_filter_FORWARD { # handle 11
		type filter hook forward priority filter; policy accept;
		jump pp_filter_port5_FORWARD comment "pp:port5" # handle 54
		jump pp_filter_ns0_FORWARD comment "pp:ns0" # handle 48
	}

	chain pp_mangle_base_vpn_mark { # handle 15
		meta mark != 0x00000000/16 return comment "pp:base" # handle 24
	}

	chain pp_mangle_ns0_PREROUTING { # handle 36
		iifname "arc_ns0" meta mark set ct mark & 0xffff0000 comment "pp:ns0" # handle 40
		iifname "arc_ns0" jump pp_mangle_base_vpn_mark comment "pp:ns0" # handle 41
	}

	chain pp_filter_ns0_FORWARD { # handle 38
		iifname "arc_ns0" ct state invalid drop comment "pp:ns0" # handle 43
	}
}
`;

describe('listing', () => {
  test('chains in order, each rule with its text, its handle and the chain it jumps to', () => {
    const { chains } = parseListing(LISTED);
    expect(chains.map((c) => c.name)).toEqual([
      'pp_mangle_PREROUTING',
      'pp_filter_FORWARD',
      'pp_mangle_base_vpn_mark',
      'pp_mangle_ns0_PREROUTING',
      'pp_filter_ns0_FORWARD',
    ]);
    expect(chains[1]?.rules).toEqual([
      {
        text: 'jump pp_filter_port5_FORWARD comment "pp:port5"',
        handle: 54,
        jumpsTo: 'pp_filter_port5_FORWARD',
      },
      { text: 'jump pp_filter_ns0_FORWARD comment "pp:ns0"', handle: 48, jumpsTo: 'pp_filter_ns0_FORWARD' },
    ]);
    expect(chains[3]?.rules).toEqual([
      {
        text: 'iifname "arc_ns0" meta mark set ct mark & 0xffff0000 comment "pp:ns0"',
        handle: 40,
        jumpsTo: undefined,
      },
      {
        text: 'iifname "arc_ns0" jump pp_mangle_base_vpn_mark comment "pp:ns0"',
        handle: 41,
        jumpsTo: 'pp_mangle_base_vpn_mark',
      },
    ]);
    expect(chains.map((c) => c.rules.length)).toEqual([1, 2, 1, 2, 1]);
  });

  test('without blank lines (as a session passes it on), nothing (no table), a set, goto, a comment naming a jump', () => {
    const compact = LISTED.split('\n').filter((l) => l.trim() !== '');
    expect(parseListing(compact.join('\n'))).toEqual(parseListing(LISTED));
    expect(parseListing('')).toEqual({ chains: [], maps: [] });
    const other = `table inet patchpanel {
	set s { # handle 3
		type ipv4_addr
		elements = { 192.0.2.1 }
	}
	chain a { # handle 1
		goto pp_b # handle 4
		accept comment "jump pp_b" # handle 5
	}
}`;
    expect(parseListing(other).chains).toEqual([
      {
        name: 'a',
        rules: [
          { text: 'goto pp_b', handle: 4, jumpsTo: 'pp_b' },
          { text: 'accept comment "jump pp_b"', handle: 5, jumpsTo: undefined },
        ],
      },
    ]);
  });

  test('dispatch maps with their jump elements, on one line or several; empty maps and other maps', () => {
    const maps = `table inet patchpanel { # handle 4
	map pp_filter_FORWARD_iif { # handle 12
		type ifname : verdict
		elements = { "arc_ns0" : jump pp_filter_ns0_FORWARD_iif,
			     "arc_ns1" : jump pp_filter_ns1_FORWARD_iif }
	}
	map pp_nat_POSTROUTING_saddr4 { # handle 20
		type ipv4_addr : verdict
		flags interval
		elements = { 100.115.92.128/30 : jump pp_nat_ns0_POSTROUTING_saddr4 }
	}
	map pp_filter_FORWARD_oif { # handle 13
		type ifname : verdict
	}
	chain pp_filter_FORWARD { # handle 11
		type filter hook forward priority filter; policy accept;
		iifname vmap @pp_filter_FORWARD_iif # handle 30
	}
}`;
    const listed = parseListing(maps);
    expect(listed.maps).toEqual([
      {
        name: 'pp_filter_FORWARD_iif',
        elements: [
          { key: '"arc_ns0"', jumpsTo: 'pp_filter_ns0_FORWARD_iif' },
          { key: '"arc_ns1"', jumpsTo: 'pp_filter_ns1_FORWARD_iif' },
        ],
      },
      {
        name: 'pp_nat_POSTROUTING_saddr4',
        elements: [{ key: '100.115.92.128/30', jumpsTo: 'pp_nat_ns0_POSTROUTING_saddr4' }],
      },
      { name: 'pp_filter_FORWARD_oif', elements: [] },
    ]);
    expect(listed.chains).toEqual([
      {
        name: 'pp_filter_FORWARD',
        rules: [{ text: 'iifname vmap @pp_filter_FORWARD_iif', handle: 30, jumpsTo: undefined }],
      },
    ]);
  });

  test.each([
    ['a rule outside a chain', 'table inet patchpanel {\n\taccept # handle 3\n}'],
    ['a brace too many', 'table inet patchpanel {\n}\n}'],
    ['a block left open', 'table inet patchpanel {\n\tchain a {\n}'],
  ])('%s: a coded error', (_, text) => {
    expect(() => parseListing(text)).toThrow(expect.objectContaining({ code: 'PP_ERR_FIREWALL_INSPECT' }));
  });

  test('any text: chains and maps, or a coded error', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            'table t {',
            'chain c {',
            'map m {',
            '"a" : jump pp_x',
            '}',
            'jump x # handle 2',
            'y',
            '',
          ),
        ),
        (lines) => {
          try {
            expect(Array.isArray(parseListing(lines.join('\n')).chains)).toBe(true);
          } catch (err) {
            expect((err as { code?: string }).code).toBe('PP_ERR_FIREWALL_INSPECT');
          }
        },
      ),
    );
  });
});
