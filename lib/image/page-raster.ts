/**
 * Runs inside the page (chrome.scripting.executeScript with `func`), where a document can render
 * SVG: the worker has no DOM, and createImageBitmap there refuses SVG. It must stay
 * self-contained (no imports, no outer variables) because only its source text is injected.
 *
 * Draws either an SVG file (given as a data: URL) or an inline <svg> of the page, at most
 * `maxLongEdge` px on its long side (never more than 2048 px, whatever is asked), over white,
 * and returns a PNG data URL (or an error sentence).
 *
 * `where` says which document it may draw in:
 * - `{ doc, local }` (the extension): it runs in the extension's isolated world beside AltScout's
 *   agent, and only in the document a job's item was found in. `doc` is that document's token;
 *   any other document answers `{ pageChanged: true }` and draws nothing. The inline svg is the
 *   agent's element `local`. The agent's name is lib/page/protocol.ts `AGENT_GLOBAL`, written out.
 * - `{ selector }` (the command line, in a page it loaded itself): the inline svg `selector` finds.
 */
export async function rasteriseInPage(
  where: { doc: string; local: string | null } | { selector: string | null },
  svgDataUrl: string | null,
  maxLongEdge: number,
): Promise<{ dataUrl: string } | { error: string } | { pageChanged: true }> {
  const agent = (globalThis as unknown as Record<string, { doc: string; element(id: string): Element | null } | undefined>)['__altscoutAgent'];
  if ('doc' in where && (!agent || agent.doc !== where.doc)) return { pageChanged: true };
  const find = (): Element | null => {
    if ('doc' in where) return where.local ? agent!.element(where.local) : null;
    return where.selector ? document.querySelector(where.selector) : null;
  };
  try {
    let url = svgDataUrl;
    let w = 0;
    let h = 0;
    if (!url) {
      const el = find();
      if (!el || !el.isConnected) return { error: 'The image is no longer on the page. Scan the page again.' };
      const svg = (el instanceof SVGSVGElement ? el : el.querySelector('svg')) as SVGSVGElement | null;
      if (!svg) return { error: 'There is no SVG drawing at this element to describe.' };
      const box = svg.getBoundingClientRect();
      w = box.width;
      h = box.height;
      const clone = svg.cloneNode(true) as SVGSVGElement;
      clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
      // currentColor would otherwise resolve to black outside the page's CSS.
      clone.setAttribute('color', getComputedStyle(svg).color);
      if (w && h) {
        clone.setAttribute('width', String(w));
        clone.setAttribute('height', String(h));
      }
      url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(clone))}`;
    }
    const img = new Image();
    img.src = url;
    await img.decode();
    w = img.naturalWidth || w || 300;
    h = img.naturalHeight || h || 150;
    const limit = Math.min(2048, Math.max(1, Math.floor(maxLongEdge) || 1));
    const scale = Math.min(1, limit / Math.max(w, h));
    const cw = Math.max(1, Math.round(w * scale));
    const ch = Math.max(1, Math.round(h * scale));
    const canvas = document.createElement('canvas');
    canvas.width = cw;
    canvas.height = ch;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, cw, ch);
    ctx.drawImage(img, 0, 0, cw, ch);
    return { dataUrl: canvas.toDataURL('image/png') };
  } catch (e) {
    return { error: `The SVG could not be drawn: ${e instanceof Error ? e.message : String(e)}` };
  }
}
