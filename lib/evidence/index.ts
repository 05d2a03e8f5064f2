// Public face of the evidence model: what the user's reviews and comparisons say about each
// captioning model, kept in storage.local (lib/storage.ts evidenceItem) and read by the ranking.
export * from './schema';
export * from './quality';
export { addEvidence, withoutEvidence, EVIDENCE_LIMITS, type EvidenceLimits } from './store';
export {
  comparisonVotes, editDistance, regenerationOutcome, reviewKey, reviewOutcomes, tallyComparison, type ComparisonChoice, type ComparisonTally,
} from './record';
