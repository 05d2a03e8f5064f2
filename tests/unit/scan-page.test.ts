import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentAgent } from '@/lib/page/content-agent';
import { contentPage } from '../support/content-page';
import { OVERLAY_TAG } from '@/lib/scan/live';
import { withTimeout } from '@/lib/background/frames';

beforeEach(() => fakeBrowser.reset());

const page = contentPage;

describe('applying descriptions in the page', () => {
  it('sets alt on images and aria-label on role=img and svg, as attributes', () => {
    const { agent, scan } = page('<img id="a" src="a.png"><div id="b" role="img"></div><svg id="c"><rect/></svg><input id="d" type="image" src="d.png">');
    const items = scan.findings.map((f) => ({ id: f.id, text: `<b>Desc</b> ${f.kind}`, overwrite: true }));
    expect(agent.apply(items).applied).toHaveLength(4);
    expect(document.getElementById('a')!.getAttribute('alt')).toBe('<b>Desc</b> img');
    expect(document.getElementById('a')!.children).toHaveLength(0);
    expect(document.getElementById('b')!.getAttribute('aria-label')).toBe('<b>Desc</b> role-img');
    expect(document.getElementById('c')!.getAttribute('aria-label')).toBe('<b>Desc</b> svg');
    expect(document.getElementById('c')!.getAttribute('role')).toBe('img');
    expect(document.getElementById('d')!.getAttribute('alt')).toBe('<b>Desc</b> input-image');
  });

  it('never overwrites alt a person wrote or a decorative mark unless asked', () => {
    const { agent, id } = page('<img id="x" src="a.png" alt="Written by a person"><img id="y" src="b.png" alt="">');
    const result = agent.apply([{ id: id('#x'), text: 'Model text', overwrite: false }, { id: id('#y'), text: 'Model text', overwrite: false }]);
    expect(result.applied).toEqual([]);
    expect(result.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/person wrote/), expect.stringMatching(/decorative/)]);
    expect(document.getElementById('x')!.getAttribute('alt')).toBe('Written by a person');
    expect(agent.apply([{ id: id('#x'), text: 'Model text', overwrite: true }]).applied).toHaveLength(1);
    expect(document.getElementById('x')!.getAttribute('alt')).toBe('Model text');
  });

  it('fills alt made of spaces (it is missing, not written)', () => {
    const { agent, id } = page('<img id="s" src="a.png" alt="  ">');
    expect(agent.apply([{ id: id('#s'), text: 'A kite', overwrite: false }]).applied).toHaveLength(1);
  });

  it('records model and time when given, and undo restores exactly, absence included', () => {
    const { agent, id } = page('<img id="a" src="a.png"><img id="b" src="b.png" alt="Old" data-altscout-model="keep-me">');
    agent.apply([
      { id: id('#a'), text: 'First', overwrite: false, model: 'vendor/model-1', generatedAt: Date.UTC(2026, 0, 2) },
      { id: id('#b'), text: 'Second', overwrite: true, model: 'vendor/model-2' },
    ]);
    const a = document.getElementById('a')!;
    expect(a.getAttribute('data-altscout-model')).toBe('vendor/model-1');
    expect(a.getAttribute('data-altscout-time')).toBe('2026-01-02T00:00:00.000Z');
    // Applying twice keeps the first originals, so undo still goes back to the page as it was.
    agent.apply([{ id: id('#a'), text: 'Edited', overwrite: false }]);
    expect(a.getAttribute('alt')).toBe('Edited');
    expect(agent.undo([id('#a'), id('#b')])).toBe(2);
    expect(a.outerHTML).toBe('<img id="a" src="a.png">');
    expect(document.getElementById('b')!.outerHTML).toBe('<img id="b" src="b.png" alt="Old" data-altscout-model="keep-me">');
    expect(agent.undo([id('#a'), id('#b')])).toBe(0);
  });

  it('explains items it cannot apply', () => {
    const { agent, id } = page('<img id="a" src="a.png">');
    const target = id('#a');
    document.getElementById('a')!.remove();
    expect(agent.apply([{ id: target, text: 'x', overwrite: false }, { id: 'e999', text: 'x', overwrite: false }]).skipped).toEqual([
      { id: target, reason: 'The element is no longer on the page' },
      { id: 'e999', reason: 'The element is no longer on the page' },
    ]);
    document.body.innerHTML = '<img id="b" src="b.png">';
    const again = new ContentAgent(document);
    const [f] = again.scan().findings;
    expect(again.apply([{ id: f.id, text: '   ', overwrite: false }]).skipped[0].reason).toMatch(/empty/);
  });
});

describe('highlight overlay', () => {
  it('draws badges by status in a shadow root, takes no focus, and is removed cleanly', () => {
    const { agent } = page('<button id="focus">x</button><img src="a.png" style="width:10px;height:10px"><img src="b.png" alt="IMG_1.jpg" style="width:10px;height:10px"><img src="c.png" alt="ok text" style="width:10px;height:10px">');
    document.getElementById('focus')!.focus();
    const before = document.body.innerHTML;
    expect(agent.highlight(true)).toBe(2);
    const host = document.querySelector(OVERLAY_TAG)!;
    expect(host.getAttribute('aria-hidden')).toBe('true');
    expect(host.shadowRoot!.querySelectorAll('[tabindex], button, a').length).toBe(0);
    expect(document.activeElement!.id).toBe('focus');
    agent.highlight(false);
    expect(document.querySelector(OVERLAY_TAG)).toBeNull();
    expect(document.body.innerHTML).toBe(before);
  });

  it('reveals a finding by id without moving focus', () => {
    const { agent, scan } = page('<img src="a.png">');
    expect(agent.reveal(scan.findings[0].id)).toBe(true);
    expect(agent.reveal('e404')).toBe(false);
  });
});

describe('frames that never answer', () => {
  it('time out', async () => {
    await expect(withTimeout(new Promise(() => {}), 10, 'Frame 3')).rejects.toThrow('Frame 3 did not answer within 10 ms');
  });
});

