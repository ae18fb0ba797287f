import * as dbus from 'dbus-next';
import { BusError } from '../errors';
import { SERVICE_NAME } from './names';

export { SERVICE_NAME } from './names';
export const SYSTEM_BUS_ADDRESS = 'unix:path=/run/dbus/system_bus_socket';

/**
 * Connects to the bus at `address` (the system bus by default) with unix fd passing, and takes the service name.
 * Another owner of the name is an error rather than a queue: two daemons would fight over the datapath.
 * `onLost` is called if the connection fails later. `beforeClaim` runs on the new connection before the name
 * is requested (export the service there, e.g. with exportPatchPanelService, so no call finds it missing).
 */
export async function claimServiceName(
  address: string | undefined,
  onLost: (error: BusError) => void,
  beforeClaim?: (bus: dbus.MessageBus) => void,
): Promise<dbus.MessageBus> {
  const busAddress = address ?? process.env.DBUS_SYSTEM_BUS_ADDRESS ?? SYSTEM_BUS_ADDRESS;
  // sessionBus is the call that honours busAddress; negotiateUnixFd is accepted but missing from the typings.
  const bus = dbus.sessionBus({ busAddress, negotiateUnixFd: true } as dbus.SessionBusOptions);
  const failed = new Promise<never>((_, reject) =>
    bus.once('error', (cause: unknown) => reject(new BusError(`cannot connect to ${busAddress}`, { cause }))),
  );
  try {
    beforeClaim?.(bus);
    const reply = await Promise.race([bus.requestName(SERVICE_NAME, dbus.NameFlag.DO_NOT_QUEUE), failed]);
    if (reply !== dbus.RequestNameReply.PRIMARY_OWNER) {
      throw new BusError(`${SERVICE_NAME} is already owned on ${busAddress}`);
    }
  } catch (err) {
    bus.disconnect();
    throw err instanceof BusError
      ? err
      : new BusError(`cannot own ${SERVICE_NAME} on ${busAddress}`, { cause: err });
  }
  bus.on('error', (cause: unknown) => onLost(new BusError(`lost the bus at ${busAddress}`, { cause })));
  return bus;
}
