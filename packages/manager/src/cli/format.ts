import type { Ipv4Cidr, NetworkDeviceInfo, PortRule } from '../api/patchpanel-api';
import type { NamespaceConnection, NetworkDeviceChange } from '../dbus/response-decoders';
import type { PortRuleChange } from '../dbus/validate-port-rule';

export type Field = readonly [key: string, value: string];

const cidr = (subnet: Ipv4Cidr): string => `${subnet.base}/${subnet.prefixLength}`;

/** `key  value` lines with the values in one column. */
export function formatFields(fields: readonly Field[]): string {
  const width = Math.max(0, ...fields.map(([key]) => key.length));
  return fields.map(([key, value]) => `${key.padEnd(width)}  ${value}\n`).join('');
}

/** Rows whose columns line up; the first row is the header. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map(
      (row) =>
        `${row
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

export function formatJson(document: unknown): string {
  return `${JSON.stringify(document)}\n`;
}

export function connectionFields(connection: NamespaceConnection): Field[] {
  return [
    ['subnet', cidr(connection.subnet)],
    ['host_ifname', connection.hostIfname],
    ['host_ipv4', connection.hostIpv4],
    ['peer_ifname', connection.peerIfname],
    ['peer_ipv4', connection.peerIpv4],
  ];
}

/** `forwarding tcp eth0:8080 -> 100.115.92.130:8000` and the like. */
export function describePortRule(rule: PortRule): string {
  const head = `${rule.type} ${rule.protocol}`;
  switch (rule.type) {
    case 'access':
      return `${head} ${rule.inputIfname ?? '*'}:${rule.port}`;
    case 'lockdown':
      return `${head} lo:${rule.port}`;
    case 'forwarding': {
      const arrival = rule.inputDstIp === undefined ? '' : `${rule.inputDstIp}@`;
      return `${head} ${arrival}${rule.inputIfname}:${rule.port} -> ${rule.dstIp}:${rule.dstPort}`;
    }
  }
}

export function portRuleFields(change: PortRuleChange): Field[] {
  return [
    ['operation', change.operation],
    ['rule', describePortRule(change.rule)],
    ['success', 'true'],
  ];
}

const DEVICE_HEADER = ['ifname', 'ipv4', 'subnet', 'guest'];
const deviceRow = (device: NetworkDeviceInfo): string[] => [
  device.ifname,
  device.ipv4Address,
  cidr(device.subnet),
  device.guestKind,
];

export function formatDevices(devices: readonly NetworkDeviceInfo[]): string {
  return devices.length === 0 ? 'no devices\n' : formatTable([DEVICE_HEADER, ...devices.map(deviceRow)]);
}

export function formatDeviceChange({ change, device }: NetworkDeviceChange): string {
  return `${[change.padEnd(7), ...deviceRow(device)].join('  ')}\n`;
}
