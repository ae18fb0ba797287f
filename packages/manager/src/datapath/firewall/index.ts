export type { FirewallBackend } from './backend';
export {
  BASE_OWNER,
  BASE_VPN_CHAIN,
  type BaseFirewallInput,
  buildBaseRuleSet,
  DEFAULT_PHYSICAL_PREFIXES,
  GUEST_NETWORK,
  type LocalSource,
} from './builders/base';
export * from './builders/fwmark';
export {
  buildNamespaceRuleSet,
  type NamespaceFirewallInput,
  type OutboundDevice,
} from './builders/namespace';
export { buildPortRuleSet, type PortRuleFirewallInput } from './builders/port-rule';
export * from './errors';
export { createFakeBackend, FakeFirewallBackend } from './fake/fake-backend';
export { type ApplyOutcome, createFirewall, Firewall, type FirewallOptions } from './firewall';
export { createIptablesBackend, type IptablesBackendOptions } from './iptables/iptables-backend';
export { renderRestoreScript, renderRuleSpec } from './iptables/restore-script';
export { findOwned, parseSave, type SavedTable } from './iptables/save-parser';
export * from './model';
export { planInstall, planRemove, planRemoveFound, planReplace, planReset, planTeardown } from './planner';
export {
  type ChainId,
  chainsIn,
  familiesOf,
  type JumpPosition,
  type OwnedRule,
  type RuleSet,
  RuleSetBuilder,
  ruleSet,
  rulesIn,
} from './rule-set';
export * from './rules';
export {
  defaultFirewallBackend,
  type FirewallBackendConfig,
  type FirewallBackendKind,
  selectFirewallStore,
} from './select-backend';
export type { FirewallStore } from './store';
export type {
  FamilyTransaction,
  FirewallOp,
  FoundJump,
  FoundTable,
  RuleHandle,
  TableBatch,
} from './transaction';
export { createTransactionStore, type TransactionStoreOptions } from './transaction-store';
export * from './values';
