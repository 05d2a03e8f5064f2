import { beforeEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { parseInput } from '@/lib/messaging';
import { revealInTab } from '@/lib/background/tab-actions';
import { findingId } from '@/lib/page/finding-id';
import { fakeTab } from '../support/fake-tab';
import { countFindings, currentAltText, filterFindings, imageUrlText, notShownOnPage } from '@/lib/ui/findings';
import type { Finding } from '@/lib/scan/schema';
import { SUMMARY, TAB, doneItem, fakePlatform, finding, job, renderWorkbench, storeJobs } from './popup-fixtures';

beforeEach(() => fakeBrowser.reset());

/** A merged page: ids carry their frame, as lib/page/merge.ts makes them. */
const PAGE: Finding[] = [
  finding(1, { id: '0:menu:e1' }),
  finding(2, { id: '0:menu:e2', status: 'decorative', alt: '', reasons: [{ code: 'empty-alt', text: 'Marked decorative with alt=""' }] }),
  finding(3, {
    id: '0:menu:e3', status: 'suspicious', alt: 'IMG_2041.jpg',
    reasons: [{ code: 'file-name', text: 'Alt is a file name' }, { code: 'too-long', text: 'Alt is over 150 characters' }],
  }),
  finding(4, { id: '0:menu:e4', status: 'ignored', reasons: [{ code: 'tracking-pixel', text: 'A 1x1 tracking pixel' }] }),
  finding(5, { id: '2:ads:e1', frameId: 2, kind: 'svg', src: null, reasons: [{ code: 'no-name', text: 'Inline svg with role=img and no name' }] }),
  finding(6, { id: '0:menu:e5', status: 'ok', alt: 'Our team at the river', reasons: [], src: 'data:image/png;base64,' + 'A'.repeat(4000) }),
];
const summary = { ...SUMMARY, findings: PAGE, counts: { missing: 2, decorative: 1, suspicious: 1, ok: 1, ignored: 1 } };

describe('findings list logic', () => {
  it('filters by status, keeps each finding\'s page number, and lists worst first under "All"', () => {
    expect(filterFindings(PAGE, 'missing').map(({ n, finding }) => [n, finding.id])).toEqual([[1, '0:menu:e1'], [5, '2:ads:e1']]);
    expect(filterFindings(PAGE, 'ignored').map(({ n }) => n)).toEqual([4]);
    expect(filterFindings(PAGE, 'all').map(({ finding }) => finding.status)).toEqual(['missing', 'missing', 'suspicious', 'decorative', 'ok', 'ignored']);
    expect(filterFindings([], 'all')).toEqual([]);
  });

  it('knows which findings are not drawn, so there is nothing to scroll to', () => {
    expect(PAGE.filter(notShownOnPage).map((f) => f.id)).toEqual(['0:menu:e4']);
    expect(notShownOnPage(finding(9, { status: 'ignored', reasons: [{ code: 'hidden', text: 'Not rendered' }] }))).toBe(true);
    // Hidden from assistive technology only: still on screen, still worth showing.
    expect(notShownOnPage(finding(9, { status: 'ignored', reasons: [{ code: 'aria-hidden', text: 'aria-hidden' }] }))).toBe(false);
  });

  it('counts every status, ignored ones too', () => {
    expect(countFindings(PAGE)).toEqual({ all: 6, missing: 2, suspicious: 1, decorative: 1, ok: 1, ignored: 1 });
  });

  it('says what the alt and the image URL are without dumping data: URLs', () => {
    expect([currentAltText(null), currentAltText(''), currentAltText('A cat')]).toEqual(['none', 'empty (decorative)', '“A cat”']);
    expect(imageUrlText(PAGE[5].src)).toBe('inline image/png data (4 kB)');
    expect(imageUrlText(null)).toBe('none (inline svg)');
    expect(imageUrlText('https://x.test/a.png')).toBe('https://x.test/a.png');
  });
});

describe('revealInTab (background)', () => {
  it('asks only the frame the id names, in the document it names', async () => {
    const fake = fakeTab({ 0: '<img id="a" src="a.png">', 2: '<svg role="img"><rect/></svg>' });
    const agents = await fake.tab.agents(9);
    for (const { frameId } of agents) await fake.tab.send('scanFrame', {}, { tabId: 9, frameId });
    fake.sent.length = 0;
    const id = (frameId: number) => findingId(frameId, agents.find((a) => a.frameId === frameId)!.doc, 'e1');
    expect(await revealInTab({ tabId: 9, id: id(2) }, fake.tab)).toEqual({ found: true });
    expect(await revealInTab({ tabId: 9, id: id(0) }, fake.tab)).toEqual({ found: true });
    expect(fake.sent.map((s) => [s.frameId, s.name, s.data])).toEqual([
      [2, 'revealFinding', { doc: agents[1].doc, id: 'e1' }],
      [0, 'revealFinding', { doc: agents[0].doc, id: 'e1' }],
    ]);
  });

  it('answers found: false for an element that left the page, and explains an unreachable frame', async () => {
    const fake = fakeTab({ 0: '<img id="a" src="a.png">', 2: '<img src="b.png">' });
    const agents = await fake.tab.agents(9);
    for (const { frameId } of agents) await fake.tab.send('scanFrame', {}, { tabId: 9, frameId });
    fake.document(0).getElementById('a')!.remove();
    expect(await revealInTab({ tabId: 9, id: findingId(0, agents[0].doc, 'e1') }, fake.tab)).toEqual({ found: false });
    fake.unreachable(2);
    await expect(revealInTab({ tabId: 9, id: findingId(2, agents[1].doc, 'e1') }, fake.tab)).rejects.toThrow(/could not be reached.*reload the page/);
  });

  it('refuses an id that does not name its frame and document, and is for extension pages only', () => {
    expect(() => parseInput('revealInTab', { tabId: 9, id: 'e1' })).toThrow(/finding id/);
    expect(() => parseInput('revealInTab', { tabId: 9, id: '0:e1' })).toThrow(/finding id/);
    expect(() => parseInput('revealInTab', { tabId: 9, id: '0:k3j2h1g0f9e8:e1', frameId: 0 })).toThrow();
  });
});


describe('popup: findings list', () => {
  it('keeps the list behind a disclosure, filters it by status and shows each finding\'s details', async () => {
    const user = userEvent.setup();
    renderWorkbench(fakePlatform({ getPageSummary: () => summary }));
    const toggle = await screen.findByRole('button', { name: 'All findings (6)' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('list', { name: 'Findings' })).toBeNull();

    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const filters = screen.getByRole('group', { name: 'Show findings' });
    expect(within(filters).getAllByRole('radio').map((r) => r.closest('label')!.textContent)).toEqual([
      'All (6)', 'Missing (2)', 'Suspicious (1)', 'Decorative (1)', 'OK (1)', 'Ignored (1)',
    ]);
    expect(within(screen.getByRole('list', { name: 'Findings' })).getAllByRole('listitem', { name: /^Finding/ })).toHaveLength(6);

    await user.click(within(filters).getByRole('radio', { name: 'Suspicious (1)' }));
    const [item] = within(screen.getByRole('list', { name: 'Findings' })).getAllByRole('listitem', { name: /^Finding/ });
    expect(item.getAttribute('aria-labelledby')).toBeTruthy();
    expect(within(item).getByText('Finding 3')).toBeTruthy();
    expect(item.textContent).toContain('Suspicious · img');
    expect(item.textContent).toContain('“IMG_2041.jpg”');
    expect(within(item).getByRole('list').textContent).toBe('Alt is a file nameAlt is over 150 characters');
    expect(within(item).getByRole('link', { name: 'https://shop.example/img/3.png' })).toBeTruthy();

    await user.click(screen.getByRole('radio', { name: 'Ignored (1)' }));
    const pixel = screen.getByRole('listitem', { name: 'Finding 4' });
    expect(pixel.textContent).toContain('A 1x1 tracking pixel');
    // Nothing is drawn, so there is nothing to scroll to.
    expect(within(pixel).queryByRole('button')).toBeNull();
    expect(pixel.textContent).toContain('Not drawn on the page, so there is nothing to show.');
  });

  it('"Show on page" asks the background to reveal that finding and reports the outcome', async () => {
    const user = userEvent.setup();
    const found = new Set(['2:ads:e1']);
    const platform = fakePlatform({ getPageSummary: () => summary, revealInTab: ({ id }) => ({ found: found.has(id) }) });
    renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: 'All findings (6)' }));
    await user.click(screen.getByRole('radio', { name: 'Missing (2)' }));
    await user.click(screen.getByRole('button', { name: 'Show finding 5 on page' }));
    expect(platform.callsTo('revealInTab')).toEqual([{ tabId: TAB, id: '2:ads:e1' }]);
    await waitFor(() => expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe('Finding 5 is shown on the page.'));

    await user.click(screen.getByRole('button', { name: 'Show finding 1 on page' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Last action' }).textContent).toMatch(/^Finding 1 is no longer on the page/));
  });

  it('says why a finding could not be shown', async () => {
    const user = userEvent.setup();
    renderWorkbench(fakePlatform({ getPageSummary: () => summary, revealInTab: () => { throw new Error('the frame holding it could not be reached'); } }));
    await user.click(await screen.findByRole('button', { name: 'All findings (6)' }));
    await user.click(screen.getByRole('button', { name: 'Show finding 1 on page' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe('Could not show finding 1: the frame holding it could not be reached'));
  });

  it('offers "Show on page" for each review item, by the item\'s own id', async () => {
    const user = userEvent.setup();
    const done = job([doneItem(PAGE[4]), doneItem(PAGE[0])], { state: 'done' });
    await storeJobs(done);
    const platform = fakePlatform({ getPageSummary: () => summary, revealInTab: () => ({ found: true }) });
    renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: 'Show image 2 on page' }));
    expect(platform.callsTo('revealInTab')).toEqual([{ tabId: TAB, id: '0:menu:e1' }]);
    await waitFor(() => expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe('Image 2 is shown on the page.'));
  });
});

describe('report page: findings list', () => {
  it('shows the whole list open, with a thumbnail per image', async () => {
    renderWorkbench(fakePlatform({ getPageSummary: () => summary }), 'report');
    const list = await screen.findByRole('list', { name: 'Findings' });
    expect(screen.queryByRole('button', { name: /All findings/ })).toBeNull();
    expect(screen.getByRole('heading', { name: 'All findings (6)' })).toBeTruthy();
    const items = within(list).getAllByRole('listitem', { name: /^Finding/ });
    const buttons = items.map((i) => within(i).queryByRole('button'));
    expect(buttons.map((b) => b?.textContent)).toEqual([1, 5, 3, 2, 6].map((n) => `Show finding ${n} on page`).concat(undefined as never));
    // Sighted users read "Show on page" beside the finding; the number is for screen readers.
    expect(buttons[0]!.querySelector('.sr-only')?.textContent).toBe(' finding 1');
    expect(items[1].textContent).toContain('Missing · inline svg'); // the svg in frame 2, second under "All"
    expect(items[1].textContent).toContain('none (inline svg)');
    expect(items[0].querySelector('img')?.getAttribute('alt')).toBe('');
  });
});
