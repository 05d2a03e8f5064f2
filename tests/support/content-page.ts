import { ContentAgent } from '../../lib/page/content-agent';
import { registryFor } from '../../lib/scan/registry';

/** Puts `html` in the test document and scans it; `id('#x')` is the finding id of the element the selector finds. */
export function contentPage(html: string) {
  document.body.innerHTML = html;
  const agent = new ContentAgent(document);
  const scan = agent.scan();
  const id = (sel: string) => scan.findings.find((f) => registryFor(document).element(f.id) === document.querySelector(sel))!.id;
  return { agent, scan, id };
}
