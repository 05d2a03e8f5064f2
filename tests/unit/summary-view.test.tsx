import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { PageSummaryView } from '@/components/PageSummaryView';

describe('PageSummaryView', () => {
  it('announces the count in a status region', () => {
    render(<PageSummaryView summary={{ supported: true, tabId: 1, url: 'u', title: 't', total: 9, missing: 4 }} />);
    expect(screen.getByRole('status').textContent).toBe('4 images missing alt text');
  });
  it('uses the singular for one image', () => {
    render(<PageSummaryView summary={{ supported: true, tabId: 1, url: 'u', title: 't', total: 9, missing: 1 }} />);
    expect(screen.getByRole('status').textContent).toBe('1 image missing alt text');
  });
  it('says why an unsupported page cannot be checked', () => {
    render(<PageSummaryView summary={{ supported: false, tabId: 1, url: 'chrome://x', reason: 'Browsers do not let extensions read chrome:// pages.' }} />);
    expect(screen.getByRole('status').textContent).toMatch(/chrome:\/\//);
  });
});
