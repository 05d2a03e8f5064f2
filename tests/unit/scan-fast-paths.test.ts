import { describe, expect, it } from 'vitest';
import { comparable } from '@/lib/scan/text';
import { boundedText, Surroundings } from '@/lib/scan/context';
import { hiddenReason, markTreeHidden, type AncestorHidden } from '@/lib/scan/visibility';
import { CANDIDATE_SELECTOR } from '@/lib/scan/classify';
import { repeatsAdjacentText } from '@/lib/scan/context';
import { hasGlobalAria } from '@/lib/scan/names';
import { ElementRegistry } from '@/lib/scan/registry';
import { scanFrame } from '@/lib/scan';
import { findingSelectors } from '@/lib/scan/details';
import { registryFor } from '@/lib/scan/registry';

/**
 * The scanner's shortcuts for big pages (an ASCII path for comparable text, a native text walk,
 * per-pass ancestor memos, per-parent nth-of-type numbering) must answer exactly what the plain
 * versions answer. Each is checked against a straightforward reference here.
 */

function referenceComparable(value: string): string {
  const clean = !value ? '' : !/^\s|\s$|\s\s|\r|\u00A0/.test(value) ? value : value.replace(/\r\n/g, '\n').replace(/\u00A0/g, ' ').replace(/[\s]{2,}/g, ' ').trim();
  return clean.toLowerCase().replace(/[\p{P}\p{S}]+/gu, ' ').replace(/\s+/g, ' ').trim();
}

describe('comparable text', () => {
  it('agrees with the Unicode-class regexes on every kind of ASCII and some non-ASCII', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const extra = [0xa0, 0xe9, 0x2028, 0xfeff, 0x130, 0x2014, 0x201c];
    for (let n = 0; n < 20000; n += 1) {
      let text = '';
      const length = Math.floor(random() * 14);
      for (let i = 0; i < length; i += 1) text += String.fromCharCode(random() < 0.9 ? Math.floor(random() * 128) : extra[Math.floor(random() * extra.length)]);
      expect(comparable(text), JSON.stringify(text)).toBe(referenceComparable(text));
    }
  });

  it('keeps words and drops punctuation', () => {
    expect(comparable('  Shop NOW!  ')).toBe('shop now');
    expect(comparable('A red square, number 4')).toBe('a red square number 4');
    expect(comparable('Café — menu')).toBe('café menu');
  });
});

function referenceText(el: Element, max: number): string {
  let text = '';
  const visit = (node: Node) => {
    for (let child = node.firstChild; child && text.length < max; child = child.nextSibling) {
      if (child.nodeType === 3) text += child.nodeValue;
      else if (child.nodeType === 1 && !['script', 'style', 'template'].includes((child as Element).localName)) visit(child);
    }
  };
  visit(el);
  return text.slice(0, max);
}

describe('bounded text of a container', () => {
  it.each([
    ['a few children', '<b>One</b> two <i>three</i>'],
    ['many children', '<h2>Title</h2><p>First <a href="#">link</a> text.</p><p>Second</p><span>x</span><em>y</em> tail'],
    ['many children with a script and a style', '<h2>Title</h2><script>var x = 1;</script><p>Body</p><style>p{}</style><p>More</p><span>end</span>'],
    ['nested svg titles', '<p>a</p><p>b</p><p>c</p><svg role="img"><title>Dot</title><circle r="1"></circle></svg><p>d</p>'],
  ])('%s: same text as a plain walk, and stops at the cap', (_, html) => {
    document.body.innerHTML = `<section id="s">${html}</section>`;
    const section = document.getElementById('s')!;
    expect(boundedText(section, 300)).toBe(referenceText(section, 300));
    expect(boundedText(section, 7)).toBe(referenceText(section, 7));
    expect(boundedText(section, 300)).not.toContain('var x');
  });
});

describe('per-pass memos', () => {
  const html = `
    <figure id="f"><a href="/x" id="l"><span role="button" id="b"><img id="i1"></span></a><figcaption>c</figcaption></figure>
    <a id="nolink"><button id="btn"><img id="i2"></button></a>
    <div role="img" id="r"><img id="i3"></div>
    <a href="/y" role="img" id="self"></a>`;

  it('finds the same figure, link, button and control as closest()', () => {
    document.body.innerHTML = html;
    const around = new Surroundings();
    for (const el of document.querySelectorAll('img, [role=img], span, button')) {
      for (const remember of [true, false]) {
        const found = around.of(el, remember);
        expect(found.figure, el.id).toBe(el.closest('figure'));
        expect(found.link, el.id).toBe(el.closest('a[href]'));
        expect(found.button, el.id).toBe(el.closest('button, [role=button]'));
        expect(found.control, el.id).toBe(el.closest('a[href], button, [role=button]'));
      }
    }
  });

  it('answers aria-hidden and inert the same with a shared ancestor memo as without', () => {
    document.body.innerHTML = `
      <div aria-hidden="true"><p><img id="a"></p></div>
      <div inert><img id="b"></div>
      <div aria-hidden=" TRUE "><img id="c" aria-hidden="false"></div>
      <div aria-hidden="true"><div aria-hidden="false"><div inert><img id="x"></div></div></div>
      <div aria-hidden="false"><img id="d"></div>
      <section><img id="e" inert></section>`;
    for (const light of [false, true]) {
      const memo: AncestorHidden = { known: new Map(), light };
      for (const img of document.querySelectorAll('img')) expect(hiddenReason(img, memo), img.id).toBe(hiddenReason(img));
      expect(['a', 'b', 'c', 'd', 'e'].map((id) => hiddenReason(document.getElementById(id)!, memo))).toEqual(['aria-hidden', 'inert', 'aria-hidden', null, 'inert']);
    }
    // The whole-document map built from the marks (non-candidate marks included) answers the same.
    const marked: AncestorHidden = { known: new Map(), light: true, marked: markTreeHidden(document, CANDIDATE_SELECTOR) };
    for (const img of document.querySelectorAll('img')) expect(hiddenReason(img, marked), img.id).toBe(hiddenReason(img));
  });

  /** The plain version: read both neighbours and the caption into a list, then compare each. */
  function referenceRepeats(el: Element, key: string): boolean {
    const parent = el.parentElement;
    const holder = parent && (parent.localName === 'a' || parent.localName === 'picture') ? parent : el;
    const blank = (n: Node | null) => n?.nodeType === 3 && !/\S/.test(n.nodeValue ?? '');
    let before = holder.previousSibling;
    while (blank(before)) before = before!.previousSibling;
    let after = holder.nextSibling;
    while (blank(after)) after = after!.nextSibling;
    const texts: string[] = [];
    for (const node of [before, after]) {
      if (!node) continue;
      if (node.nodeType === 3) texts.push(node.nodeValue ?? '');
      else if (node.nodeType === 1 && !['script', 'style', 'template'].includes((node as Element).localName)) texts.push(boundedText(node as Element, 300));
    }
    const caption = el.closest('figure')?.querySelector(':scope > figcaption');
    if (caption) texts.push(boundedText(caption, 300));
    return texts.some((t) => comparable(t) === key);
  }

  it('compares an alt with its neighbours as the plain read-then-compare does', () => {
    document.body.innerHTML = `
      <p>Our office <img id="a" alt="x"> Our office!</p>
      <div><span>Harbour <b>at</b> dusk</span>
        <img id="b" alt="x"> <!-- note --> <img id="c" alt="x"><script>var harbour</script></div>
      <figure><a href="/p"><img id="d" alt="x"></a> Next door <figcaption>The caption</figcaption></figure>
      <figure role="img" id="e"><figcaption>Own caption</figcaption></figure>
      <picture><source srcset="a.png"><img id="f" alt="x"></picture>Beside the picture
      <ul><li><img id="g" alt="x"></li><li>Item</li></ul>`;
    const keys = ['our office', 'harbour at dusk', 'next door', 'the caption', 'own caption', 'beside the picture', 'note', 'var harbour', 'item', 'x'];
    const around = new Surroundings();
    for (const el of document.querySelectorAll('img, figure[role=img]')) {
      for (const key of keys) expect(repeatsAdjacentText(el, key, around), `${el.id} / ${key}`).toBe(referenceRepeats(el, key));
    }
    expect(['a', 'b', 'd', 'e', 'f'].map((id) => keys.filter((k) => repeatsAdjacentText(document.getElementById(id)!, k, around)))).toEqual([
      ['our office'], ['harbour at dusk'], ['next door', 'the caption'], ['own caption'], ['own caption', 'beside the picture'],
    ]);
  });

  it('finds a global ARIA attribute from the list of names as hasAttribute finds it', () => {
    const globals = ['aria-label', 'aria-describedby', 'aria-hidden', 'aria-live', 'aria-roledescription'];
    const others = ['alt', 'role', 'aria-checked', 'aria-level', 'data-aria-label', 'title'];
    for (const name of [...globals, ...others]) {
      document.body.innerHTML = `<img id="t" src="a.png" alt="">`;
      const el = document.getElementById('t')!;
      el.setAttribute(name, 'v');
      expect(hasGlobalAria(el), name).toBe(globals.includes(name));
    }
  });
});

describe('element ids', () => {
  it('keep one id per element, answer local ids only (a merged id is not parsed here), and forget removed elements between passes', () => {
    const registry = new ElementRegistry();
    document.body.innerHTML = Array.from({ length: 1200 }, (_, i) => `<img data-n="${i}">`).join('');
    const imgs = [...document.querySelectorAll('img')];
    const ids = imgs.map((img) => registry.idFor(img));
    expect(new Set(ids).size).toBe(1200);
    expect(registry.idFor(imgs[5])).toBe(ids[5]);
    expect(registry.element(ids[7])).toBe(imgs[7]);
    expect(registry.element(`3:${registry.doc}:${ids[7]}`)).toBeNull();
    imgs.slice(0, 600).forEach((img) => img.remove());
    // Nothing is dropped while a pass hands out ids; the next pass's sweep drops the removed ones.
    expect(registry.element(ids[0])).toBe(imgs[0]);
    registry.sweep();
    expect(registry.element(ids[0])).toBeNull();
    expect(registry.element(ids[900])).toBe(imgs[900]);
    expect(registry.idFor(imgs[900])).toBe(ids[900]);
  });
});

describe('selectors numbered per parent', () => {
  it('point at their element among mixed siblings, ids and nesting', () => {
    document.body.innerHTML = `
      <section><img><p>t</p><img><a href="/a"><img></a><svg role="img"><title>x</title></svg><img><div><img></div><a href="/b"><img><img></a></section>
      <section id="two"><input type="image" src="a.png"><img><input type="image" src="b.png"><span><img id="named"></span></section>`;
    const { findings } = scanFrame(document);
    expect(findings.length).toBe(12);
    const selectors = findingSelectors(document, findings.map((f) => f.id));
    findings.forEach((f, i) => expect(document.querySelector(selectors[i]), selectors[i]).toBe(registryFor(document).element(f.id)));
    expect(selectors).toContain('#two > input:nth-of-type(2)');
    expect(selectors).toContain('#named');
  });
});
