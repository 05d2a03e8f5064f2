import {
  MAX_MODELS, MAX_REVIEWS_PER_MODEL, MAX_VOTES_PER_MODEL, type EvidenceStore, type EvidenceUpdate, type ModelEvidenceLog,
} from './schema';

/**
 * Pure updates of the stored evidence. A record replaces an earlier one with the same key (saving
 * a review or a comparison again changes the judgement, it does not add one); each model keeps
 * its most recent records only, and the store keeps the models judged most recently.
 */

export interface EvidenceLimits {
  reviews: number;
  votes: number;
  models: number;
}
export const EVIDENCE_LIMITS: EvidenceLimits = { reviews: MAX_REVIEWS_PER_MODEL, votes: MAX_VOTES_PER_MODEL, models: MAX_MODELS };

function merge<T extends { key: string; at: number }>(old: T[], added: T[] | undefined, keep: number): T[] {
  if (!added?.length) return old;
  const byKey = new Map(old.map((r) => [r.key, r]));
  for (const r of added) {
    byKey.delete(r.key); // re-inserted last: a changed judgement counts as recent
    byKey.set(r.key, r);
  }
  // Stable sort: records with the same time keep their insertion order.
  return [...byKey.values()].sort((a, b) => a.at - b.at).slice(-keep);
}

const latest = (log: ModelEvidenceLog) => Math.max(-1, ...log.reviews.map((r) => r.at), ...log.votes.map((v) => v.at));

export function addEvidence(store: EvidenceStore, updates: EvidenceUpdate[], limits: EvidenceLimits = EVIDENCE_LIMITS): EvidenceStore {
  const next: EvidenceStore = { ...store };
  for (const u of updates) {
    if (!u.reviews?.length && !u.votes?.length) continue;
    const log = next[u.modelId] ?? { reviews: [], votes: [] };
    next[u.modelId] = { reviews: merge(log.reviews, u.reviews, limits.reviews), votes: merge(log.votes, u.votes, limits.votes) };
  }
  const ids = Object.keys(next);
  if (ids.length <= limits.models) return next;
  const keep = new Set(
    ids
      .map((id) => ({ id, at: latest(next[id]) }))
      .sort((a, b) => b.at - a.at || a.id.localeCompare(b.id))
      .slice(0, limits.models)
      .map((e) => e.id),
  );
  return Object.fromEntries(Object.entries(next).filter(([id]) => keep.has(id)));
}

/** Without one model's records, or without any when no id is given. */
export function withoutEvidence(store: EvidenceStore, modelId?: string): EvidenceStore {
  if (modelId == null) return {};
  const { [modelId]: _dropped, ...rest } = store;
  return rest;
}
