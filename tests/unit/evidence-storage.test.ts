import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCatalogService } from '@/lib/background/catalog-service';
import { offlineSnapshot } from '@/lib/catalog/snapshot';
import { comparisonVotes, regenerationOutcome, reviewOutcomes, summariseEvidence } from '@/lib/evidence';
import type { Job, JobItem } from '@/lib/jobs/schema';
import { clearEvidence, evidenceItem, evidenceSummaryItem, readEvidence, readEvidenceSummary, recordEvidence } from '@/lib/storage';
import { EMPTY_DRAFT } from '@/lib/ui/review';

beforeEach(() => fakeBrowser.reset());

const item = (id: string, over: Partial<JobItem> = {}): JobItem => ({
  id, frameId: 0, selector: `#${id}`, src: null, oldAlt: null, state: 'done', alt: 'A lighthouse at dusk', costUsd: 0, cached: false, attempts: 1, ...over,
});
const job = (id: string, modelId: string, n: number): Pick<Job, 'id' | 'modelId' | 'items'> => ({
  id, modelId, items: Array.from({ length: n }, (_, i) => item(`0:doc:${i}`)),
});

describe('evidence in storage.local', () => {
  it('records review outcomes, regenerations and votes, and counts a saved review once however often it is saved', async () => {
    const j = job('job-1', 'acme/vision', 3);
    expect(await recordEvidence(reviewOutcomes(j, EMPTY_DRAFT, 1))).toEqual({});
    expect(await recordEvidence(reviewOutcomes(j, { ...EMPTY_DRAFT, rejected: ['0:doc:2'] }, 2))).toEqual({});
    await recordEvidence(regenerationOutcome(j, '0:doc:1', 3));
    await recordEvidence(comparisonVotes([{ key: 'run/1', models: ['acme/vision', 'acme/other'], best: 'acme/other' }], 4));
    const { value, error } = await readEvidence();
    expect(error).toBeUndefined();
    expect(value['acme/vision'].reviews.map((r) => r.kind).sort()).toEqual(['accepted', 'accepted', 'regenerated', 'rejected']);
    expect(value['acme/vision'].votes).toEqual([{ key: 'run/1', kind: 'lost', at: 4 }]);
    expect(value['acme/other'].votes).toEqual([{ key: 'run/1', kind: 'best', at: 4 }]);
  });

  it('keeps the counts the ranking reads in step with the log, and rebuilds them if they cannot be read', async () => {
    await recordEvidence(reviewOutcomes(job('job-1', 'acme/vision', 4), { ...EMPTY_DRAFT, rejected: ['0:doc:0'], edits: { '0:doc:1': 'A lighthouse' } }, 1));
    await recordEvidence(comparisonVotes([{ key: 'run/1', models: ['acme/vision', 'acme/other'], best: 'all' }], 2));
    const log = (await readEvidence()).value;
    expect(await evidenceSummaryItem.getValue()).toEqual(summariseEvidence(log));
    expect((await readEvidenceSummary())['acme/vision']).toMatchObject({ reviews: 4, acceptedUnedited: 2, edited: 1, rejected: 1, comparisons: 1, tied: 1 });
    await evidenceSummaryItem.setValue({ 'acme/vision': { reviews: 'lots' } } as never);
    expect(await readEvidenceSummary()).toEqual(summariseEvidence(log));
  });

  it('loses no record when saves overlap', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => recordEvidence(reviewOutcomes(job(`job-${i}`, 'acme/vision', 2), EMPTY_DRAFT, i))));
    expect((await readEvidence()).value['acme/vision'].reviews).toHaveLength(24);
  });

  it('leaves an unreadable stored value as it is, says why, and ranks as if there were none', async () => {
    const corrupt = { 'acme/vision': { reviews: [{ key: 'k', kind: 'adored', at: 1 }], votes: [] } };
    await evidenceItem.setValue(corrupt as never);
    const read = await readEvidence();
    expect(read.value).toEqual({});
    expect(read.error).toMatch(/^Your saved review history could not be read/);
    expect(await recordEvidence(reviewOutcomes(job('job-1', 'acme/vision', 1), EMPTY_DRAFT, 1))).toEqual({ error: read.error });
    expect(await evidenceItem.getValue()).toEqual(corrupt);
    // Clearing everything is how the user gets out of it.
    await clearEvidence();
    expect(await evidenceItem.getValue()).toEqual({});
  });

  it('clears one model or all', async () => {
    await recordEvidence([reviewOutcomes(job('j', 'a/one', 1), EMPTY_DRAFT, 1), reviewOutcomes(job('j', 'b/two', 1), EMPTY_DRAFT, 1)]);
    await clearEvidence('a/one');
    expect(Object.keys((await readEvidence()).value)).toEqual(['b/two']);
    await clearEvidence();
    expect((await readEvidence()).value).toEqual({});
    expect(await readEvidenceSummary()).toEqual({});
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
  });

  it('reaches the ranking the worker serves', async () => {
    const service = createCatalogService({ fetch: async () => Promise.reject(new TypeError('offline')), now: () => Date.parse('2026-09-01'), sleep: async () => {} });
    const before = await service.getRanking({ task: 'captioning' });
    const best = before.tiers.best.pick!;
    const budget = before.tiers.budget.pick!;
    expect(offlineSnapshot().catalog.models.some((m) => m.id === best)).toBe(true);
    // The user rewrote every caption of the Best pick and applied every caption of the Budget pick as written.
    const rewritten = job('job-best', best, 30);
    await recordEvidence(reviewOutcomes(rewritten, { ...EMPTY_DRAFT, edits: Object.fromEntries(rewritten.items.map((i) => [i.id, 'A red-and-white lighthouse on a rocky point at dusk'])) }, 5));
    await recordEvidence(reviewOutcomes(job('job-budget', budget, 30), EMPTY_DRAFT, 6));
    const after = await service.getRanking({ task: 'captioning' });
    expect(after.models.find((m) => m.id === budget)!.reasons).toContain('your reviews: 30 of 30 accepted unedited');
    expect(after.models.find((m) => m.id === best)!.reasons).toContain('your reviews: 0 of 30 accepted unedited');
    expect(after.tiers.best.pick).toBe(budget);
    await service.idle();
  });
});
