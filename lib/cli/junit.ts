import { failingImages, type FailOn } from './formats';
import type { AuditResult, PageResult } from './result';

/**
 * JUnit XML, as CI systems (Jenkins, GitLab, GitHub test reporters) read it: one <testsuite> per
 * site, one <testcase> per page, failing where --fail-on says (with the images listed), an
 * <error> where the page could not be audited.
 */

/** XML 1.0 cannot carry most control characters at all, even escaped: they are dropped. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlEscape(text: string): string {
  return text.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function site(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'file:' ? 'file://' : u.origin;
  } catch {
    return url;
  }
}

function testcase(page: PageResult, failOn: FailOn, baseline: boolean): { xml: string; failed: boolean; error: boolean } {
  const host = site(page.url).replace(/^[a-z]+:\/\//, '') || 'local';
  const attrs = `name="${xmlEscape(page.url)}" classname="${xmlEscape(`altscout.${host}`)}" time="${seconds(page.loadMs + page.scanMs)}"`;
  if (page.error) {
    return { xml: `    <testcase ${attrs}>\n      <error message="${xmlEscape(`Could not be audited: ${page.error}`)}" type="page-error"/>\n    </testcase>`, failed: false, error: true };
  }
  const failing = failingImages(page, failOn, baseline);
  const notes = page.scannedBeforeLoad ? `\n      <system-out>${xmlEscape(`Scanned before load (${page.readyState}).`)}</system-out>` : '';
  if (!failing.length) return { xml: `    <testcase ${attrs}>${notes ? `${notes}\n    ` : ''}</testcase>`, failed: false, error: false };
  const missing = failing.filter((i) => i.status === 'missing').length;
  const suspicious = failing.length - missing;
  const message = [missing ? `${missing} image${missing === 1 ? '' : 's'} missing a text alternative` : '', suspicious ? `${suspicious} with a poor one` : '']
    .filter(Boolean).join(', ') + (baseline ? ' (new since the baseline)' : '');
  const body = failing.map((i) => `${i.status} ${i.kind} ${i.selector} ${i.reasons.map((r) => r.code).join(',')} ${i.src ?? ''}`.trim()).join('\n');
  return {
    xml: `    <testcase ${attrs}>\n      <failure message="${xmlEscape(message)}" type="${missing ? 'missing' : 'suspicious'}">${xmlEscape(body)}</failure>${notes}\n    </testcase>`,
    failed: true,
    error: false,
  };
}

export function junitText(result: AuditResult, failOn: FailOn): string {
  const baseline = Boolean(result.summary.baseline);
  const bySite = new Map<string, PageResult[]>();
  for (const page of result.pages) bySite.set(site(page.url), [...(bySite.get(site(page.url)) ?? []), page]);
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let totalMs = 0;
  const suites: string[] = [];
  for (const [name, pages] of bySite) {
    const cases = pages.map((p) => testcase(p, failOn, baseline));
    const f = cases.filter((c) => c.failed).length;
    const e = cases.filter((c) => c.error).length;
    const ms = pages.reduce((sum, p) => sum + p.loadMs + p.scanMs, 0);
    tests += pages.length;
    failures += f;
    errors += e;
    totalMs += ms;
    suites.push(`  <testsuite name="${xmlEscape(`AltScout image audit: ${name}`)}" tests="${pages.length}" failures="${f}" errors="${e}" skipped="0" time="${seconds(ms)}" timestamp="${xmlEscape(result.createdAt.replace(/\.\d+Z$/, ''))}">\n${cases.map((c) => c.xml).join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="AltScout image audit" tests="${tests}" failures="${failures}" errors="${errors}" time="${seconds(totalMs)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
