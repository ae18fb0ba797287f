import { InvalidArgumentError } from '../errors';

/** SSDP over IPv4 (UPnP Device Architecture 1.1 §1.3). */
export const SSDP_GROUP = '239.255.255.250';
export const SSDP_PORT = 1900;
export const SSDP_ALL = 'ssdp:all';
export const DEFAULT_SEARCH_TARGET = 'upnp:rootdevice';
export const M_SEARCH_LINE = 'M-SEARCH * HTTP/1.1';
export const RESPONSE_OK_LINE = 'HTTP/1.1 200 OK';

/** An HTTPU message: its start line and its headers, names upper-cased (SSDP header names are case-blind). */
export interface SsdpMessage {
  readonly startLine: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface MSearch {
  /** Search target, e.g. 'ssdp:all' or 'upnp:rootdevice'. */
  readonly st: string;
  /** Seconds a device may wait before answering (1..5). */
  readonly mx: number;
}

export interface SearchResponse {
  readonly location: string;
  readonly st: string;
  readonly usn: string;
  readonly maxAgeS?: number;
  readonly server?: string;
}

const DEFAULT_SERVER = 'Linux UPnP/1.1 patchpanel-testbed/0.1';
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/;

function render(startLine: string, headers: readonly (readonly [string, string])[]): string {
  for (const [name, value] of headers) {
    if (/[\r\n]/.test(value)) throw new InvalidArgumentError(`SSDP header ${name} holds a line break`);
  }
  return [startLine, ...headers.map(([name, value]) => `${name}: ${value}`), '', ''].join('\r\n');
}

export function assertMx(mx: number): void {
  if (!Number.isInteger(mx) || mx < 1 || mx > 5) throw new InvalidArgumentError(`MX ${mx} is not in 1..5`);
}

/** A search target is one token of visible ASCII, e.g. 'ssdp:all' or 'urn:schemas-upnp-org:device:X:1'. */
export function assertSearchTarget(st: string): void {
  if (!/^[\x21-\x7e]+$/.test(st))
    throw new InvalidArgumentError(`bad SSDP search target ${JSON.stringify(st)}`);
}

export function buildMSearch(search: MSearch): string {
  assertMx(search.mx);
  assertSearchTarget(search.st);
  return render(M_SEARCH_LINE, [
    ['HOST', `${SSDP_GROUP}:${SSDP_PORT}`],
    ['MAN', '"ssdp:discover"'],
    ['MX', String(search.mx)],
    ['ST', search.st],
  ]);
}

/** The unicast answer to an M-SEARCH. `EXT` is empty by definition. */
export function buildSearchResponse(response: SearchResponse): string {
  assertSearchTarget(response.st);
  return render(RESPONSE_OK_LINE, [
    ['CACHE-CONTROL', `max-age=${response.maxAgeS ?? 1800}`],
    ['EXT', ''],
    ['LOCATION', response.location],
    ['SERVER', response.server ?? DEFAULT_SERVER],
    ['ST', response.st],
    ['USN', response.usn],
  ]);
}

/** Parses an SSDP datagram (CRLF or LF line ends); undefined when a header line is malformed. */
export function parseSsdpMessage(text: string): SsdpMessage | undefined {
  const [startLine = '', ...lines] = text.split(/\r?\n/);
  if (startLine === '') return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    if (line === '') break;
    const match = HEADER_LINE.exec(line);
    if (match === null) return undefined;
    headers[(match[1] ?? '').toUpperCase()] = match[2] ?? '';
  }
  return { startLine, headers };
}

/** Whether a device with search target `ownSt` answers an M-SEARCH for `st`. */
export function answersSearch(st: string | undefined, ownSt: string): boolean {
  return st === SSDP_ALL || st === ownSt;
}
