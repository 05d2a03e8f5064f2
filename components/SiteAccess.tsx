import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { siteName } from '@/lib/ui/sites';
import { errorText, usePlatform } from './api';
import type { SiteGrant } from './host-access';

/**
 * The options page's list of sites AltScout may read, each with a way to take access back. Sites
 * are added from the popup, one click at a time, when a step needs them.
 */
export function SiteAccess() {
  const platform = usePlatform();
  const id = useId();
  const [grants, setGrants] = useState<SiteGrant[] | null>(null);
  const [status, setStatus] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const list = useRef<HTMLUListElement>(null);
  /** Where the keyboard goes once the list is drawn again after a removal. */
  const focusAfter = useRef<number | null>(null);

  const load = useCallback(
    () =>
      platform.hostAccess.granted().then(
        (next) => {
          setGrants(next);
          return next;
        },
        (e) => {
          setStatus(`Could not list the sites: ${errorText(e)}`);
          return null;
        },
      ),
    [platform],
  );
  useEffect(() => {
    void load();
  }, [load]);

  async function revoke(grant: SiteGrant, index: number) {
    const name = siteName(grant.origin);
    try {
      const removed = await platform.hostAccess.revoke(grant.origin);
      setStatus(removed ? `AltScout can no longer read ${name}.` : `${name} could not be removed.`);
    } catch (e) {
      setStatus(`Could not remove ${name}: ${errorText(e)}`);
    }
    focusAfter.current = index;
    await load();
  }

  // The pressed button is gone: the keyboard moves to the next one (or the previous), else the heading.
  useEffect(() => {
    const index = focusAfter.current;
    if (index == null) return;
    focusAfter.current = null;
    const buttons = list.current?.querySelectorAll<HTMLButtonElement>('button') ?? [];
    (buttons.length ? buttons[Math.min(index, buttons.length - 1)] : heading.current)?.focus();
  }, [grants]);

  return (
    <section className="sites-panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`} ref={heading} tabIndex={-1}>
        Sites AltScout may read
      </h2>
      <p className="hint">
        Without these, AltScout reads only the tab you open it on, when you click its icon. When a step needs more, the popup names the sites
        and asks.
      </p>
      {grants == null ? (
        <p className="muted">Loading…</p>
      ) : grants.length === 0 ? (
        <p>No sites: AltScout asks each time it needs one.</p>
      ) : (
        <ul ref={list} className="sites" aria-label="Sites AltScout may read">
          {grants.map((grant, index) => (
            <li key={grant.origin} className="row">
              <span>
                {siteName(grant.origin)} <span className="muted small">{grant.origin}</span>
              </span>
              {grant.removable ? (
                <button type="button" onClick={() => void revoke(grant, index)}>
                  Remove<span className="sr-only"> access to {siteName(grant.origin)}</span>
                </button>
              ) : (
                <span className="muted small">granted at install; remove AltScout to take it back</span>
              )}
            </li>
          ))}
        </ul>
      )}
      <p role="status" aria-label="Site access status" className="small">
        {status}
      </p>
    </section>
  );
}
