import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { isExtensionPage, parseInput, parseOutput, ProtocolError, protocol } from '@/lib/messaging';

beforeEach(() => fakeBrowser.reset());

describe('protocol map', () => {
  it('every message declares input, output and who may send it', () => {
    for (const [name, spec] of Object.entries(protocol)) {
      expect(spec.input, name).toBeDefined();
      expect(spec.output, name).toBeDefined();
      expect(['any', 'extension'], name).toContain(spec.access);
    }
  });

  it('rejects a malformed input with the field and the message name', () => {
    expect(() => parseInput('getPageSummary', { tabId: 'seven' })).toThrow(ProtocolError);
    expect(() => parseInput('getPageSummary', { tabId: 'seven' })).toThrow(/getPageSummary.*tabId/);
    expect(() => parseInput('getPageSummary', { tabId: 3, extra: true })).toThrow(/invalid input/);
  });

  it('rejects an output that breaks its schema', () => {
    expect(() => parseOutput('scanFrame', { url: 'x', title: '', lang: '', counts: { missing: -1, decorative: 0, suspicious: 0, ok: 0, ignored: 0 }, findings: [], scanMs: 0 })).toThrow(/scanFrame.*missing/);
  });

  it('accepts well-formed payloads', () => {
    expect(parseInput('getPageSummary', { tabId: 3 })).toEqual({ tabId: 3 });
  });
});

describe('isExtensionPage', () => {
  const origin = 'chrome-extension://abcdef/';
  it('is true for the popup, options and report pages', () => {
    expect(isExtensionPage({ url: `${origin}popup.html?tab=3` }, origin)).toBe(true);
    expect(isExtensionPage({ url: `${origin}report.html`, tab: { id: 9 } }, origin)).toBe(true);
  });
  it('is false for content scripts and other extensions', () => {
    expect(isExtensionPage({ url: 'https://evil.example/', tab: { id: 1 } }, origin)).toBe(false);
    expect(isExtensionPage({ url: 'chrome-extension://other/popup.html' }, origin)).toBe(false);
    expect(isExtensionPage({}, origin)).toBe(false);
  });
});

describe('what a content script can reach', () => {
  // Messages open to any sender are the ones the content script answers. Every message the
  // background answers must be 'extension', or a compromised page could start paid jobs or
  // read key status through its content script.
  const contentAnswered = ['scanFrame', 'findingDetails', 'highlight', 'revealFinding', 'applyAlt', 'undoAlt', 'readBlob'];

  it('only content-script messages are open to any sender', () => {
    const open = Object.entries(protocol).filter(([, spec]) => spec.access === 'any').map(([name]) => name);
    expect(open.sort()).toEqual([...contentAnswered].sort());
  });

  it('every message the background answers is for extension pages only', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const sources = [
      'entrypoints/background.ts',
      ...readdirSync('lib/background').map((f) => `lib/background/${f}`),
    ].map((f) => readFileSync(f, 'utf8'));
    const answered = new Set(sources.flatMap((s) => [...s.matchAll(/\bhandle\('(\w+)'/g)].map((m) => m[1])));
    expect(answered.size).toBeGreaterThan(5);
    for (const name of answered) {
      expect(protocol[name as keyof typeof protocol]?.access, name).toBe('extension');
    }
  });
});
