import { createHash } from 'node:crypto';
import type { Kind } from '../scan/schema';
import type { AuditResult, ImageResult, PageResult } from './result';

/**
 * SARIF 2.1.0, what code-scanning dashboards read: one result per missing or suspicious image,
 * with the rule it breaks (axe-core's rule for its kind when the text alternative is missing, the
 * suspicious reason's code otherwise) and the page URL plus the element's selector as location.
 */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const AXE_RULE: Record<Kind, string> = {
  img: 'image-alt',
  'input-image': 'input-image-alt',
  'role-img': 'role-img-alt',
  svg: 'svg-img-alt',
  area: 'area-alt',
};

interface RuleInfo {
  id: string;
  text: string;
  level: 'error' | 'warning';
  help?: string;
  tags: string[];
}

const RULES: RuleInfo[] = [
  { id: 'image-alt', text: 'Images must have alternative text', level: 'error', help: 'https://dequeuniversity.com/rules/axe/4.10/image-alt', tags: ['accessibility', 'wcag2a', 'wcag111'] },
  { id: 'input-image-alt', text: 'Image buttons must have alternative text', level: 'error', help: 'https://dequeuniversity.com/rules/axe/4.10/input-image-alt', tags: ['accessibility', 'wcag2a', 'wcag111', 'wcag412'] },
  { id: 'role-img-alt', text: '[role="img"] elements must have an alternative text', level: 'error', help: 'https://dequeuniversity.com/rules/axe/4.10/role-img-alt', tags: ['accessibility', 'wcag2a', 'wcag111'] },
  { id: 'svg-img-alt', text: 'svg elements with an img role must have an alternative text', level: 'error', help: 'https://dequeuniversity.com/rules/axe/4.10/svg-img-alt', tags: ['accessibility', 'wcag2a', 'wcag111'] },
  { id: 'area-alt', text: 'Active <area> elements must have alternative text', level: 'error', help: 'https://dequeuniversity.com/rules/axe/4.10/area-alt', tags: ['accessibility', 'wcag2a', 'wcag244', 'wcag412'] },
  { id: 'file-name', text: 'The text alternative is the image\'s file name, not a description', level: 'warning', tags: ['accessibility', 'alt-quality'] },
  { id: 'placeholder', text: 'The text alternative is a placeholder ("image", "photo", "untitled")', level: 'warning', tags: ['accessibility', 'alt-quality'] },
  { id: 'redundant-prefix', text: 'The text alternative starts with "image of" or similar', level: 'warning', tags: ['accessibility', 'alt-quality'] },
  { id: 'repeats-link-text', text: 'The text alternative repeats the text of its link or button', level: 'warning', tags: ['accessibility', 'alt-quality'] },
  { id: 'repeats-adjacent-text', text: 'The text alternative repeats the text next to the image', level: 'warning', tags: ['accessibility', 'alt-quality'] },
  { id: 'too-long', text: 'The text alternative is longer than 150 characters', level: 'warning', tags: ['accessibility', 'alt-quality'] },
];
const RULE_INDEX = new Map(RULES.map((r, i) => [r.id, i]));

function ruleOf(image: ImageResult): string {
  if (image.status === 'missing') return AXE_RULE[image.kind];
  return image.reasons.find((r) => RULE_INDEX.has(r.code))?.code ?? 'placeholder';
}

function result(page: PageResult, image: ImageResult, state?: 'new' | 'unchanged' | 'absent') {
  const ruleId = ruleOf(image);
  const what = image.status === 'missing' ? 'has no text alternative' : 'has a poor text alternative';
  const reasons = image.reasons.map((r) => r.text).join('; ');
  const fingerprint = createHash('sha256').update(JSON.stringify([page.url, image.frame, image.selector, image.src, image.kind])).digest('hex');
  return {
    ruleId,
    ruleIndex: RULE_INDEX.get(ruleId)!,
    level: image.status === 'missing' ? 'error' : 'warning',
    message: { text: `${image.kind === 'img' ? 'Image' : `Element (${image.kind})`} ${image.selector} ${what}: ${reasons}.${image.src ? ` Image: ${image.src}` : ''}` },
    locations: [{
      physicalLocation: { artifactLocation: { uri: page.url } },
      logicalLocations: [{ fullyQualifiedName: image.selector, kind: 'element' }],
    }],
    partialFingerprints: { 'altscoutImage/v1': fingerprint },
    ...(state ? { baselineState: state } : {}),
    properties: { status: image.status, kind: image.kind, reasons: image.reasons.map((r) => r.code), alt: image.alt, src: image.src, frame: image.frame },
  };
}

export function sarifLog(audit: AuditResult) {
  const baseline = Boolean(audit.summary.baseline);
  const results = audit.pages.flatMap((page) => [
    ...page.images.filter((i) => i.status === 'missing' || i.status === 'suspicious').map((i) => result(page, i, baseline ? (i.change ?? 'new') : undefined)),
    ...(page.fixed ?? []).map((i) => result(page, i, 'absent')),
  ]);
  const failed = audit.pages.filter((p) => p.error);
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [{
      tool: {
        driver: {
          name: 'AltScout',
          rules: RULES.map((r) => ({
            id: r.id,
            name: r.id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
            shortDescription: { text: r.text },
            defaultConfiguration: { level: r.level },
            ...(r.help ? { helpUri: r.help } : {}),
            properties: { tags: r.tags },
          })),
        },
      },
      invocations: [{
        executionSuccessful: failed.length === 0,
        endTimeUtc: audit.createdAt,
        toolExecutionNotifications: failed.map((p) => ({
          level: 'error',
          message: { text: `Could not audit ${p.url}: ${p.error}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: p.url } } }],
        })),
      }],
      results,
    }],
  };
}

export function sarifText(audit: AuditResult): string {
  return `${JSON.stringify(sarifLog(audit), null, 2)}\n`;
}
