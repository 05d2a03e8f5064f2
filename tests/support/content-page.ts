import { ContentAgent } from '../../lib/page/content-agent';

/** Puts `html` in the test document and scans it; `id('#x')` is the finding id of the element the selector ends with. */
export function contentPage(html: string) {
  document.body.innerHTML = html;
  const agent = new ContentAgent(document);
  const scan = agent.scan();
  const id = (sel: string) => scan.findings.find((f) => f.selector.endsWith(sel) || f.selector === sel)!.id;
  return { agent, scan, id };
}
