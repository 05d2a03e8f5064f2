import type { JobItemInput } from '../jobs/schema';

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

export const SINGLE_IMAGE_ITEM_ID = 'context-menu-image';

/** A job the context menu started for one image; the popup leaves it to that window. */
export const isSingleImageJob = (job: { items: Array<{ id: string }> }) =>
  job.items.length === 1 && job.items[0].id === SINGLE_IMAGE_ITEM_ID;

/** The one image as a job item: nothing is known about it but where it is. */
export function singleImageItem(req: SingleImageRequest): JobItemInput {
  return {
    id: SINGLE_IMAGE_ITEM_ID,
    frameId: req.frameId,
    selector: '',
    kind: 'img',
    status: 'missing',
    alt: null,
    src: req.src,
    width: 0,
    height: 0,
    context: { pageTitle: '', lang: '' },
  };
}
