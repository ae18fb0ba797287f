export { type NftJump, parseEchoedJumps } from './echo';
export { type ListedChain, type ListedRule, parseListing } from './listing';
export { isOwnersNftChain, NFT_TABLE, nftChainName } from './names';
export { renderBaseTable } from './render-base';
export { renderInstall, renderRemove, renderRemoveFound } from './render-owner';
export { renderNftRule } from './render-rule';
