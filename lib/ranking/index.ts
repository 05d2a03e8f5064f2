// Public face of the ranking: pure functions over a catalog.
export { onlyTier, rankModels, type RankOptions, type RankResult } from './rank';
export { estimateUsdPerRequest, isFree } from './cost';
export { imageTokens, imageFamily } from './image-tokens';
export * from './schema';
export { comparisonsReason, qualityNote, reviewsReason, tiesReason } from './explain';
