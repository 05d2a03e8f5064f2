import { useCallback, useState } from 'react';
import type { AccessChoice } from '../host-access';
import { errorText, usePlatform } from '../api';

export interface AccessNeed {
  /** Match patterns AltScout may not read yet. */
  origins: string[];
  /** What the access is for, ending a sentence: "to describe the chosen images". */
  purpose: string;
}

export interface AccessRequest {
  /** Set while the user is asked; the prompt shows it. */
  need: AccessNeed | null;
  /**
   * True when AltScout may already read every origin. Otherwise shows the prompt, remembers
   * `then` for after a grant, and answers false.
   */
  ensure(origins: string[], purpose: string, then: () => void): Promise<boolean>;
  /** From the click on "This site" or "All sites": asks the browser, then carries on or says no. */
  grant(choice: AccessChoice): void;
  dismiss(): void;
}

/**
 * Host access asked for when a step needs it (contract 6): the step checks, the prompt names the
 * sites, and the browser's own question comes from the user's click on one of two choices.
 */
export function useAccessRequest(say: (message: string) => void): AccessRequest {
  const platform = usePlatform();
  const [pending, setPending] = useState<(AccessNeed & { then(): void }) | null>(null);

  const ensure = useCallback(
    async (origins: string[], purpose: string, then: () => void) => {
      // If the browser cannot say, carry on: the step reports what it could not read, image by image.
      const missing = origins.length ? await platform.hostAccess.missing(origins).catch(() => []) : [];
      if (missing.length === 0) return true;
      setPending({ origins: missing, purpose, then });
      say(`AltScout needs your permission to read ${missing.length === 1 ? 'one site' : `${missing.length} sites`} ${purpose}.`);
      return false;
    },
    [platform, say],
  );

  function grant(choice: AccessChoice) {
    if (!pending) return;
    // Called before anything is awaited: the browser only asks during the click.
    platform.hostAccess.request(choice, pending.origins).then(
      (granted) => {
        setPending(null);
        if (granted) pending.then();
        else say('AltScout was not given access, so nothing was read.');
      },
      (e) => {
        setPending(null);
        say(`Could not ask for access: ${errorText(e)}`);
      },
    );
  }

  const dismiss = useCallback(() => {
    setPending(null);
    say('Nothing was read.');
  }, [say]);

  return { need: pending && { origins: pending.origins, purpose: pending.purpose }, ensure, grant, dismiss };
}
