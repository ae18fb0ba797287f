export { DISPATCH_MAPS, type Dispatch, type DispatchMap, dispatchMapName, dispatchOf } from './dispatch';
export { type ListedChain, type ListedMap, type ListedRule, type Listing, parseListing } from './listing';
export { isOwnersNftChain, NFT_TABLE, nftChainName } from './names';
export { renderBaseTable } from './render-base';
export {
  jumpedChains,
  jumpsInListing,
  type NftJump,
  renderInstall,
  renderRemove,
  renderRemoveFound,
  renderTable,
} from './render-owner';
export { renderNftRule } from './render-rule';
