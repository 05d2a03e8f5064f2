/**
 * Host match patterns as people read them: `https://shop.example/*` is "shop.example",
 * `*://*.example.com/*` is "example.com and its subdomains", `<all_urls>` is "All sites".
 */
export function siteName(pattern: string): string {
  if (pattern === '<all_urls>') return 'All sites';
  const m = /^(\*|https?|file|ftp|wss?):\/\/([^/]*)\//.exec(pattern);
  if (!m) return pattern;
  const [, scheme, host] = m;
  if (scheme === 'file') return 'Files on this computer';
  if (host === '*') return scheme === 'http' ? 'All sites (http)' : scheme === 'https' ? 'All sites (https)' : 'All sites';
  const name = host.startsWith('*.') ? `${host.slice(2)} and its subdomains` : host;
  return scheme === 'http' ? `${name} (http)` : name;
}

