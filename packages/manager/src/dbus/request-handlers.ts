import type { Logger } from 'pino';
import type { PatchPanelApi } from '../api/patchpanel-api';
import { logFailedCall } from './failure-log';
import { decodeRequest, patchpanel } from './proto-codec';
import {
  encodeConnectNamespaceResponse,
  encodeGetDevicesResponse,
  encodeModifyPortRuleResponse,
  FAILURE_RESPONSE,
} from './responses';
import { type ConnectNamespaceChecks, parseConnectNamespaceRequest } from './validate-connect-namespace';
import { parseModifyPortRuleRequest } from './validate-port-rule';

export interface RequestHandlerOptions {
  readonly api: PatchPanelApi;
  readonly logger: Logger;
  readonly checks: ConnectNamespaceChecks;
  /** Closes a received fd the api never saw (the request was refused before reaching it). */
  readonly closeFd: (fd: number) => void;
}

/** Serialized request in, serialized response out. They never throw: a failure is logged and answered empty. */
export interface RequestHandlers {
  connectNamespace(request: Uint8Array, fd: number | undefined): Promise<Buffer>;
  modifyPortRule(request: Uint8Array): Promise<Buffer>;
  getDevices(request: Uint8Array): Buffer;
}

export function createRequestHandlers(options: RequestHandlerOptions): RequestHandlers {
  const { api, logger, checks, closeFd } = options;
  const fail = (method: string, err: unknown): Buffer => {
    logFailedCall(logger, method, err);
    return FAILURE_RESPONSE;
  };
  return {
    async connectNamespace(request, fd) {
      let parsed: ReturnType<typeof parseConnectNamespaceRequest>;
      try {
        parsed = parseConnectNamespaceRequest(request, fd, checks);
      } catch (err) {
        if (fd !== undefined) closeFd(fd);
        return fail('ConnectNamespace', err);
      }
      // From here the lifeline belongs to the api, whatever it answers.
      try {
        const connected = await api.connectNamespace(parsed);
        const { netnsName, hostIfname, peerIfname } = connected;
        logger.info(
          { method: 'ConnectNamespace', pid: parsed.pid, netnsName, hostIfname, peerIfname },
          'connected',
        );
        return encodeConnectNamespaceResponse(connected);
      } catch (err) {
        return fail('ConnectNamespace', err);
      }
    },

    async modifyPortRule(request) {
      try {
        const { operation, rule } = parseModifyPortRuleRequest(request);
        await api.modifyPortRule(operation, rule);
        logger.info({ method: 'ModifyPortRule', operation, rule }, 'port rule changed');
        return encodeModifyPortRuleResponse(true);
      } catch (err) {
        return fail('ModifyPortRule', err);
      }
    },

    getDevices(request) {
      try {
        decodeRequest(patchpanel.GetDevicesRequest, request);
        return encodeGetDevicesResponse(api.getDevices());
      } catch (err) {
        return fail('GetDevices', err);
      }
    },
  };
}
