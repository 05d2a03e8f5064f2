import { isSingleImageJob } from '../jobs/schema';

export interface SingleImageRequest {
  tabId: number;
  src: string;
  frameId: number;
  pageUrl: string;
}

/** Reads `?tab=3&image=<url>&frame=0&page=<url>` (opened by the context menu); null when absent or malformed. */
export function singleImageRequest(search: string): SingleImageRequest | null {
  const params = new URLSearchParams(search);
  const tab = params.get('tab');
  const src = params.get('image');
  const frame = params.get('frame') ?? '0';
  if (!tab || !/^\d+$/.test(tab) || !src || !/^\d+$/.test(frame)) return null;
  return { tabId: Number(tab), src, frameId: Number(frame), pageUrl: params.get('page') ?? '' };
}

/** Owned with the job data (lib/jobs/schema.ts); the views ask here. */
export { isSingleImageJob };
