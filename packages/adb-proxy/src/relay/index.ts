import type { RelayKind } from '../config';
import type { RelayFactory } from './relay';
import { spliceRelay } from './splice-relay';
import { streamRelay } from './stream-relay';

export type { Relay, RelayFactory, RelayResult } from './relay';

export const relays: Readonly<Record<RelayKind, RelayFactory>> = { splice: spliceRelay, stream: streamRelay };
