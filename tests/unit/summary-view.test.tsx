import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { PageSummaryView } from '@/components/PageSummaryView';
import type { PageSummary } from '@/lib/page/schema';

const page = (missing: number): PageSummary => ({
  supported: true, tabId: 1, url: 'u', title: 't', frames: 1, scannedAt: 0, findings: [], page: 'doc', needsAccess: { frames: [], images: [] },
  counts: { missing, decorative: 1, suspicious: 0, ok: 2, ignored: 0 },
});

describe('PageSummaryView', () => {
  it('announces the count in a status region', () => {
    render(<PageSummaryView summary={page(4)} />);
    expect(screen.getByRole('status').textContent).toBe('4 images missing alt text');
  });
  it('uses the singular for one image', () => {
    render(<PageSummaryView summary={page(1)} />);
    expect(screen.getByRole('status').textContent).toBe('1 image missing alt text');
  });
  it('says why an unsupported page cannot be checked', () => {
    render(<PageSummaryView summary={{ supported: false, tabId: 1, url: 'chrome://x', reason: 'Browsers do not let extensions read chrome:// pages.' }} />);
    expect(screen.getByRole('status').textContent).toMatch(/chrome:\/\//);
  });
});
