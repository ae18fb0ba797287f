import { Message, type MessageBus } from 'dbus-next';

/** Whether `name` has an owner on the bus: a service is there before it is called. Rejects if the bus fails. */
export async function nameHasOwner(bus: MessageBus, name: string): Promise<boolean> {
  const reply = await bus.call(
    new Message({
      destination: 'org.freedesktop.DBus',
      path: '/org/freedesktop/DBus',
      interface: 'org.freedesktop.DBus',
      member: 'NameHasOwner',
      signature: 's',
      body: [name],
    }),
  );
  return reply?.body[0] === true;
}
