export { DISPATCH_MAPS, type Dispatch, type DispatchMap, dispatchMapName, dispatchOf } from './dispatch';
export { type ListedChain, type ListedMap, type ListedRule, type Listing, parseListing } from './listing';
export { isOwnersNftChain, NFT_TABLE, nftChainName } from './names';
export { type NftMessage, nftMessage } from './netlink/messages';
export { NftablesSocket } from './netlink/nftables-socket';
export { type ElementKey, elementKeyText, type NftOp, nftCommand, parseElementKey } from './ops';
export { renderBaseTable } from './render-base';
export {
  installOps,
  jumpedChains,
  jumpsInListing,
  type NftJump,
  removeOps,
  renderInstall,
  renderRemove,
  renderRemoveFound,
  renderTable,
} from './render-owner';
export { renderNftRule } from './render-rule';
