import { randomUUID } from 'node:crypto';
import { PeerError } from '../errors';
import { assertInterfaceName, assertPort } from '../names';
import type { Netns } from '../netns';
import { parsePeerResult, peerScriptArgv } from '../peer-script';
import type { TrackedProcess } from '../processes';
import {
  assertMx,
  assertSearchTarget,
  buildSearchResponse,
  DEFAULT_SEARCH_TARGET,
  SSDP_ALL,
} from '../ssdp/message';
import type { Testbed } from '../testbed';
import { startEventPeer } from './event-peer';
import type { Service } from './service';

export interface SsdpResponderOptions {
  /** Interface whose IPv4 address joins 239.255.255.250 and sends the answers' way. */
  readonly interface: string;
  /** LOCATION of the answers, e.g. 'http://192.0.2.1:8080/desc.xml'. */
  readonly location: string;
  /** Its search target (default 'upnp:rootdevice'); it answers M-SEARCHes for this ST and for ssdp:all. */
  readonly st?: string;
  /** Default 'uuid:<random>::<st>'. */
  readonly usn?: string;
}

/** One M-SEARCH the responder saw (it prints one line per M-SEARCH, answered or not). */
export interface SsdpSearchSeen {
  /** Source of the M-SEARCH, 'address:port'. */
  readonly from: string;
}

/** A UPnP-device stand-in listening on 239.255.255.250:1900 in a namespace. */
export interface SsdpResponder extends Service {
  readonly process: TrackedProcess;
  readonly st: string;
  readonly usn: string;
  readonly location: string;
  /** Every M-SEARCH seen so far, in order. */
  searches(): SsdpSearchSeen[];
  /** Resolves once at least `count` M-SEARCHes were seen, or with those seen when `timeoutMs` (5 s) passed. */
  waitForSearches(count: number, timeoutMs?: number): Promise<SsdpSearchSeen[]>;
}

export interface SsdpSearchOptions {
  /** Interface to send the M-SEARCH out of; the socket is bound to its IPv4 address. */
  readonly interface: string;
  /** Default 'ssdp:all'. */
  readonly st?: string;
  /** Default 1. */
  readonly mx?: number;
  /** How long to collect answers (default 3 s). */
  readonly timeoutMs?: number;
  /** Default: an ephemeral port. */
  readonly sourcePort?: number;
}

export interface SsdpSearchResponse {
  /** Source of the answer, 'address:port'. */
  readonly from: string;
  /** Header names upper-cased, e.g. headers.LOCATION. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface SsdpSearchResult {
  readonly responses: readonly SsdpSearchResponse[];
}

export async function startSsdpResponder(
  bed: Testbed,
  ns: Netns,
  options: SsdpResponderOptions,
): Promise<SsdpResponder> {
  assertInterfaceName(options.interface);
  const st = options.st ?? DEFAULT_SEARCH_TARGET;
  const usn = options.usn ?? `uuid:${randomUUID()}::${st}`;
  buildSearchResponse({ location: options.location, st, usn }); // bad values throw here, before the spawn
  const argv = [
    ...peerScriptArgv('ssdp-responder'),
    ...[`--interface=${options.interface}`, `--location=${options.location}`, `--st=${st}`, `--usn=${usn}`],
  ];
  const peer = await startEventPeer(bed, ns, argv, (line) =>
    typeof line.from === 'string' ? { from: line.from } : undefined,
  );
  return {
    pid: peer.pid,
    process: peer.process,
    st,
    usn,
    location: options.location,
    searches: peer.events,
    waitForSearches: peer.waitForEvents,
    stop: peer.stop,
  };
}

/** One M-SEARCH to 239.255.255.250:1900 out of `options.interface`, and the unicast answers it got. */
export async function ssdpSearch(ns: Netns, options: SsdpSearchOptions): Promise<SsdpSearchResult> {
  assertInterfaceName(options.interface);
  const st = options.st ?? SSDP_ALL;
  const mx = options.mx ?? 1;
  const timeoutMs = options.timeoutMs ?? 3_000;
  assertSearchTarget(st);
  assertMx(mx);
  if (options.sourcePort !== undefined) assertPort(options.sourcePort);
  const argv = [
    ...peerScriptArgv('ssdp-search'),
    ...[`--interface=${options.interface}`, `--st=${st}`, `--mx=${mx}`, `--timeout=${timeoutMs}`],
    ...(options.sourcePort === undefined ? [] : [`--source-port=${options.sourcePort}`]),
  ];
  const { stdout } = await ns.exec(argv, { timeoutMs: timeoutMs + 10_000 });
  const result = parsePeerResult(stdout);
  if (!Array.isArray(result.responses))
    throw new PeerError(`ssdp-search result lacks responses: ${stdout.trim()}`);
  return { responses: result.responses as SsdpSearchResponse[] }; // built by the peer from parseSsdpMessage
}
