import { join } from 'node:path';
import { PeerError } from './errors';

/** Small Node programs the bed runs inside namespaces (src/peers). */
export type PeerScript =
  | 'echo-server'
  | 'echo-client'
  | 'fake-adbd'
  | 'stream-client'
  | 'mdns-query'
  | 'ssdp-responder'
  | 'ssdp-search'
  | 'udp-listener'
  | 'udp-send';

/**
 * argv that runs a peer script with this Node binary. From the built package it is plain JS; from the
 * sources (under Jest) the .ts file is loaded through esbuild-register, so no build is needed first.
 */
export function peerScriptArgv(name: PeerScript): string[] {
  const fromSources = __filename.endsWith('.ts');
  const file = join(__dirname, 'peers', `${name}${fromSources ? '.ts' : '.js'}`);
  return fromSources
    ? [process.execPath, '-r', require.resolve('esbuild-register'), file]
    : [process.execPath, file];
}

/** A line holding one JSON object, or undefined for anything else. */
export function parseJsonObject(line: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  return isObject ? (value as Record<string, unknown>) : undefined;
}

/** The JSON object a peer script printed as its last stdout line. */
export function parsePeerResult(stdout: string): Record<string, unknown> {
  const line = stdout.trim().split('\n').pop() ?? '';
  const result = parseJsonObject(line);
  if (result === undefined)
    throw new PeerError(`peer printed no JSON object as its result: ${JSON.stringify(line)}`);
  return result;
}
