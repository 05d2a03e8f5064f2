import { useEffect, useId, useRef } from 'react';
import { siteName } from '@/lib/ui/sites';
import type { AccessChoice } from './host-access';
import type { AccessNeed } from './hooks/useAccessRequest';

interface Props {
  need: AccessNeed;
  onChoose(choice: AccessChoice): void;
  onCancel(): void;
}

/**
 * Names the sites a step needs and offers two grants. The browser shows its own question after
 * the click; AltScout never asks on its own.
 */
export function HostAccessPrompt({ need, onChoose, onCancel }: Props) {
  const id = useId();
  const first = useRef<HTMLButtonElement>(null);
  // The prompt replaces what the user just pressed: take the keyboard to its first choice.
  useEffect(() => first.current?.focus(), []);
  return (
    <section className="access" role="group" aria-labelledby={`${id}-h`} aria-describedby={`${id}-d`}>
      <h2 id={`${id}-h`}>Allow AltScout to read {need.origins.length === 1 ? 'this site' : 'these sites'}?</h2>
      <div id={`${id}-d`}>
        <p className="small">AltScout needs access {need.purpose}:</p>
        <ul className="sites small" aria-label="Sites to allow">
          {need.origins.map((o) => (
            <li key={o}>{siteName(o)}</li>
          ))}
        </ul>
      </div>
      <div className="row">
        <button ref={first} type="button" className="primary" onClick={() => onChoose('site')} aria-describedby={`${id}-site`}>
          This site
        </button>
        <button type="button" onClick={() => onChoose('all')} aria-describedby={`${id}-all`}>
          All sites
        </button>
        <button type="button" className="link" onClick={onCancel}>
          Not now
        </button>
      </div>
      <ul className="muted small choices">
        <li id={`${id}-site`}>This site: only {need.origins.length === 1 ? 'the site' : 'the sites'} listed above.</li>
        <li id={`${id}-all`}>All sites: any page you open AltScout on, without asking again.</li>
      </ul>
      <p className="muted small">Your browser asks you to confirm. You can take access back in AltScout’s settings.</p>
    </section>
  );
}
