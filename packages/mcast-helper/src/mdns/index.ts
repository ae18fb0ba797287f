export { type MdnsPassReason, type MdnsRewrite, rewriteMdnsAddresses } from './rewrite';
