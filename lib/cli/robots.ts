/**
 * robots.txt as RFC 9309 reads it: the group for our product token ("altscout") or else "*";
 * Allow/Disallow paths with "*" and "$"; the longest matching rule wins, Allow on a tie.
 */
export const ROBOTS_AGENT = 'altscout';

interface Rule {
  allow: boolean;
  path: string;
  re: RegExp;
}

export class Robots {
  private constructor(private readonly rules: Rule[] | 'all' | 'none') {}

  static allowAll(): Robots {
    return new Robots('all');
  }

  /** For an unreachable robots.txt (RFC 9309 2.3.1.4: assume complete disallow). */
  static disallowAll(): Robots {
    return new Robots('none');
  }

  static parse(text: string, agent = ROBOTS_AGENT): Robots {
    const groups: Array<{ agents: string[]; rules: Rule[] }> = [];
    let current: { agents: string[]; rules: Rule[] } | null = null;
    let lastWasAgent = false;
    for (const raw of text.split(/\r\n|\r|\n/)) {
      const line = raw.replace(/#.*$/, '').trim();
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === 'user-agent') {
        if (!current || !lastWasAgent) {
          current = { agents: [], rules: [] };
          groups.push(current);
        }
        current.agents.push(value.toLowerCase());
        lastWasAgent = true;
        continue;
      }
      lastWasAgent = false;
      if (!current || (key !== 'allow' && key !== 'disallow')) continue;
      if (key === 'disallow' && value === '') continue; // "Disallow:" alone allows everything
      current.rules.push({ allow: key === 'allow', path: value, re: pathPattern(value) });
    }
    const ours = groups.filter((g) => g.agents.some((a) => a !== '*' && agent.toLowerCase().startsWith(a)));
    const chosen = ours.length ? ours : groups.filter((g) => g.agents.includes('*'));
    return new Robots(chosen.flatMap((g) => g.rules));
  }

  allows(url: string): boolean {
    if (this.rules === 'all') return true;
    if (this.rules === 'none') return false;
    const { pathname, search } = new URL(url);
    if (pathname === '/robots.txt') return true;
    const path = `${pathname}${search}`;
    let best: Rule | null = null;
    for (const rule of this.rules) {
      if (!rule.re.test(path)) continue;
      if (!best || rule.path.length > best.path.length || (rule.path.length === best.path.length && rule.allow)) best = rule;
    }
    return best ? best.allow : true;
  }
}

function pathPattern(path: string): RegExp {
  const anchored = path.endsWith('$');
  const body = (anchored ? path.slice(0, -1) : path)
    .split('*')
    .map((part) => encodePath(part).replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}${anchored ? '$' : ''}`);
}

/** Rules may be written with or without percent-encoding; URLs arrive encoded. */
function encodePath(part: string): string {
  try {
    return encodeURI(decodeURI(part));
  } catch {
    return part;
  }
}

/** Fetches and parses `<origin>/robots.txt`: 4xx allows all, 5xx or unreachable disallows all. */
export async function fetchRobots(origin: string, fetcher: typeof fetch = fetch): Promise<{ robots: Robots; note?: string }> {
  const url = `${origin}/robots.txt`;
  try {
    const res = await fetcher(url, { redirect: 'follow', signal: AbortSignal.timeout(15_000) });
    if (res.status >= 400 && res.status < 500) return { robots: Robots.allowAll() };
    if (!res.ok) return { robots: Robots.disallowAll(), note: `${url} answered HTTP ${res.status}: crawling nothing, as robots.txt rules ask (use --ignore-robots to crawl anyway).` };
    return { robots: Robots.parse(await res.text()) };
  } catch {
    return { robots: Robots.disallowAll(), note: `${url} could not be read: crawling nothing, as robots.txt rules ask (use --ignore-robots to crawl anyway).` };
  }
}
