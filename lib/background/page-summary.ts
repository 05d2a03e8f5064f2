import type { NeedsAccess, PageSummary } from '../page/schema';
import type { FrameScan, Status } from '../scan/schema';
import { keptFromExtensions, pageSupport } from '../page/support';
import { inFrame } from '../page/merge';
import { sendToFrame } from '../messaging';
import { browserHostAccess, originOf, originsForImages, originsForPage, patternFor } from '../permissions';
import { agentsIn, FRAME_TIMEOUT_MS, withTimeout, type AgentFrame } from './frames';

/** A frame's scan, with the frame it came from. */
export type TabFrameScan = FrameScan & { frameId: number };

export interface TabAccess {
  getTab(tabId: number): Promise<{ url?: string; title?: string } | undefined>;
  /** The tab's frames with AltScout's agent in each (injected on demand); rejects when the page cannot be scripted. */
  agents(tabId: number): Promise<AgentFrame[]>;
  scan(tabId: number, frameId: number): Promise<FrameScan>;
  /** Those of these site patterns AltScout has no host access to. */
  missingAccess(patterns: string[]): Promise<string[]>;
}

/** Images the popup can include in a job (ok and hidden ones it cannot). */
const DESCRIBABLE: ReadonlySet<Status> = new Set(['missing', 'suspicious', 'decorative']);

export async function getPageSummary(tabId: number, access: TabAccess): Promise<PageSummary> {
  const tab = await access.getTab(tabId);
  if (!tab) return { supported: false, tabId, url: '', reason: 'That tab is closed. Open a page and try again.' };
  const url = tab.url ?? '';
  const support = pageSupport(url);
  if (!support.supported) return { supported: false, tabId, url, reason: support.reason };

  let agents: AgentFrame[];
  try {
    agents = await access.agents(tabId);
    if (!agents.some((a) => a.frameId === 0)) throw new Error('The top frame has no agent.');
  } catch (error) {
    const needs = await access.missingAccess(originsForPage(url));
    if (needs.length) {
      return {
        supported: false,
        tabId,
        url,
        reason: `AltScout may read a page once you ask it to: click its toolbar button on this page, or allow it on ${new URL(url).hostname}.`,
        needsAccess: needs,
      };
    }
    // Granted, yet refused: the browser keeps this site from extensions (Firefox's restricted sites).
    const kept = keptFromExtensions(error);
    if (kept) return { supported: false, tabId, url, reason: kept.reason };
    return { supported: false, tabId, url, reason: 'AltScout cannot read this page. Reload it and open AltScout again.' };
  }

  const answers = await Promise.allSettled(agents.map(async (agent) => ({ ...(await access.scan(tabId, agent.frameId)), frameId: agent.frameId })));
  const frames = answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
  const top = frames.find((f) => f.frameId === 0);
  if (!top) return { supported: false, tabId, url, reason: 'AltScout cannot read this page. Reload it and open AltScout again.' };

  const counts = { missing: 0, decorative: 0, suspicious: 0, ok: 0, ignored: 0 };
  for (const frame of frames) for (const key of Object.keys(counts) as Array<keyof typeof counts>) counts[key] += frame.counts[key];
  const findings = frames.flatMap((f) => f.findings.map((finding) => inFrame(finding, f.frameId, f.doc)));
  return {
    supported: true,
    tabId,
    url,
    title: tab.title ?? '',
    page: top.doc,
    counts,
    findings,
    frames: frames.length,
    scannedAt: Date.now(),
    needsAccess: await needsAccess(url, agents, frames, findings, access),
  };
}

/**
 * Which sites a step would need access to that AltScout lacks. Frames: the sites of frames the
 * page's documents embed from an origin no scanned frame came from. Images: the sites of images a
 * job may describe, except the page's own origin (the click that opened AltScout grants it).
 */
async function needsAccess(url: string, agents: AgentFrame[], frames: TabFrameScan[], findings: Array<{ src: string | null; status: Status }>, access: TabAccess): Promise<NeedsAccess> {
  const scanned = new Set(frames.map((f) => originOf(f.url)));
  const unscanned = agents.flatMap((a) => a.frameOrigins).filter((origin) => !scanned.has(origin));
  const frameSites = [...new Set(unscanned.map(patternFor).filter((p): p is string => p != null))].sort();
  const images = originsForImages(findings.filter((f) => DESCRIBABLE.has(f.status)), url);
  const [frameNeeds, imageNeeds] = await Promise.all([access.missingAccess(frameSites), access.missingAccess(images)]);
  return { frames: frameNeeds, images: imageNeeds };
}

/** The browser behind TabAccess. */
export function browserTabAccess(getTab: TabAccess['getTab']): TabAccess {
  return {
    getTab,
    agents: (tabId) => agentsIn(tabId),
    scan: (tabId, frameId) => withTimeout(sendToFrame('scanFrame', {}, { tabId, frameId }), FRAME_TIMEOUT_MS, `Frame ${frameId}`),
    missingAccess: (patterns) => browserHostAccess.missing(patterns),
  };
}
