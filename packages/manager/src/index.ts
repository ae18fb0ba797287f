/**
 * @packageDocumentation
 * The patchpanel daemon (`patchpaneld`, src/main.ts) and its command (`patchpanel`, src/cli/). As a library it
 * offers what a client needs: the typed D-Bus client and the request and answer types it speaks.
 */
export type * from './api/patchpanel-api';
export { PatchPanelClient } from './dbus/client';
