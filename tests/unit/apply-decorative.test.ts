import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentAgent } from '@/lib/page/content-agent';
import { contentPage } from '../support/content-page';

beforeEach(() => fakeBrowser.reset());

const page = contentPage;
const el = (id: string) => document.getElementById(id)!;

describe('applying a decorative verdict', () => {
  it('marks an <img> decorative with alt="" and undo restores the missing attribute exactly', () => {
    const { agent, id } = page('<img id="a" src="a.png"><img id="b" src="b.png">');
    const result = agent.apply([
      { id: id('#a'), text: '', decorative: true, overwrite: false, model: 'vendor/m', generatedAt: Date.UTC(2026, 0, 2) },
      { id: id('#b'), text: '', overwrite: false },
    ]);
    expect(result.applied).toEqual([id('#a')]);
    // Without the decorative verdict an empty text is still refused: it would erase, not decide.
    expect(result.skipped).toEqual([{ id: id('#b'), reason: 'The description is empty' }]);
    expect(el('a').hasAttribute('alt')).toBe(true);
    expect(el('a').getAttribute('alt')).toBe('');
    expect(el('a').getAttribute('data-altscout-model')).toBe('vendor/m');
    // The page now counts it as decorative, not missing.
    expect(new ContentAgent(document).scan().findings.find((f) => f.id === id('#a'))?.status).toBe('decorative');
    expect(agent.undo([id('#a'), id('#b')])).toBe(1);
    expect(el('a').outerHTML).toBe('<img id="a" src="a.png">');
    expect(el('b').outerHTML).toBe('<img id="b" src="b.png">');
  });

  it('a description the user typed wins over the verdict', () => {
    const { agent, id } = page('<img id="a" src="a.png">');
    expect(agent.apply([{ id: id('#a'), text: 'A red kite', decorative: true, overwrite: false }]).applied).toHaveLength(1);
    expect(el('a').getAttribute('alt')).toBe('A red kite');
  });

  it('never replaces alt a person wrote unless the item was included, and then undo puts it back', () => {
    const { agent, id } = page('<img id="x" src="a.png" alt="Company logo">');
    const refused = agent.apply([{ id: id('#x'), text: '', decorative: true, overwrite: false }]);
    expect(refused.skipped[0].reason).toMatch(/person wrote/);
    expect(el('x').getAttribute('alt')).toBe('Company logo');
    expect(agent.apply([{ id: id('#x'), text: '', decorative: true, overwrite: true }]).applied).toHaveLength(1);
    expect(el('x').getAttribute('alt')).toBe('');
    agent.undo([id('#x')]);
    expect(el('x').outerHTML).toBe('<img id="x" src="a.png" alt="Company logo">');
  });

  it('refuses an empty name where one is required, saying why, and changes nothing', () => {
    const html = '<div id="r" role="img"></div><svg id="s"><rect/></svg><input id="i" type="image" src="i.png">'
      + '<map name="m"><area id="m" href="/x" shape="rect" coords="0,0,1,1"></map><img usemap="#m" src="map.png" alt="Map">';
    const { agent, scan } = page(html);
    const before = document.body.innerHTML;
    const items = scan.findings.filter((f) => f.kind !== 'img').map((f) => ({ id: f.id, text: '', decorative: true, overwrite: true }));
    expect(items).toHaveLength(4);
    const result = agent.apply(items);
    expect(result.applied).toEqual([]);
    const reasons = Object.fromEntries(result.skipped.map((s) => [scan.findings.find((f) => f.id === s.id)!.kind, s.reason]));
    expect(reasons).toEqual({
      'role-img': expect.stringMatching(/^An element with role=img must have a name.*write a description or reject it$/),
      svg: expect.stringMatching(/^An SVG image must have a name/),
      'input-image': expect.stringMatching(/^An image button \(input type=image\) must have a name/),
      area: expect.stringMatching(/^An image-map link \(area\) must have a name/),
    });
    expect(document.body.innerHTML).toBe(before);
    expect(agent.undo(items.map((i) => i.id))).toBe(0);
  });

  it('refuses alt="" on the only content of a link or button, which would lose its name', () => {
    const { agent, id } = page(
      '<a href="/shop"><img id="a" src="a.png"></a><button><img id="b" src="b.png"></button>'
      + '<a href="/x"><img id="c" src="c.png"> Shop</a><a href="/y" aria-label="Home"><img id="d" src="d.png"></a>'
      + '<a href="/z"><img id="e" src="e.png"><img src="logo.png" alt="Acme"></a>',
    );
    const result = agent.apply(['#a', '#b', '#c', '#d', '#e'].map((s) => ({ id: id(s), text: '', decorative: true, overwrite: false })));
    expect(result.skipped).toEqual([
      { id: id('#a'), reason: expect.stringMatching(/^It is all there is in a link, which would be left without a name/) },
      { id: id('#b'), reason: expect.stringMatching(/^It is all there is in a button/) },
    ]);
    expect(result.applied).toEqual([id('#c'), id('#d'), id('#e')]);
    expect(el('a').hasAttribute('alt')).toBe(false);
  });

  it('refuses alt="" on an <img> whose role or aria name would contradict it', () => {
    const { agent, id } = page('<img id="a" src="a.png" role="img"><img id="b" src="b.png" aria-labelledby="cap"><p id="cap"></p><img id="c" src="c.png" role="presentation">');
    const result = agent.apply(['#a', '#b', '#c'].map((s) => ({ id: id(s), text: '', decorative: true, overwrite: true })));
    expect(result.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/role="img"/), expect.stringMatching(/aria-labelledby/)]);
    expect(result.applied).toEqual([id('#c')]);
    expect(el('a').hasAttribute('alt')).toBe(false);
    expect(el('c').getAttribute('alt')).toBe('');
  });
});
