/**
 * Browsers do not let extensions script their own pages, other extensions, the web store or
 * the built-in PDF viewer. Saying so up front beats a popup that waits for an answer that
 * never comes.
 */
export type PageSupport = { supported: true } | { supported: false; reason: string };

const STORE_HOSTS = ['chromewebstore.google.com', 'addons.mozilla.org', 'microsoftedge.microsoft.com'];

export function pageSupport(rawUrl: string | undefined): PageSupport {
  // The browser shows AltScout a tab's address only where it may read the page: after a click on
  // its toolbar button there (activeTab) or on a site the user allowed. No address means neither,
  // or a page browsers keep from every extension.
  if (!rawUrl) {
    return {
      supported: false,
      reason: 'Browsers do not let extensions read their own pages, the extension store or the PDF viewer. Any other page opens to AltScout when you click its toolbar button on that page.',
    };
  }
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { supported: false, reason: `AltScout cannot read this tab: "${rawUrl}" is not a web address.` };
  }
  if (url.protocol === 'file:' && /\.pdf$/i.test(url.pathname)) return pdf();
  if (!['http:', 'https:', 'file:'].includes(url.protocol)) {
    return {
      supported: false,
      reason: `Browsers do not let extensions read ${url.protocol}// pages. Open a web page and try again.`,
    };
  }
  if (STORE_HOSTS.includes(url.hostname) || (url.hostname === 'chrome.google.com' && url.pathname.startsWith('/webstore'))) {
    return { supported: false, reason: 'Browsers do not let extensions read the extension store. Open another page and try again.' };
  }
  if (/\.pdf$/i.test(url.pathname)) return pdf();
  return { supported: true };
}

function pdf(): PageSupport {
  return { supported: false, reason: 'This is a PDF in the browser\'s viewer, which extensions cannot read. AltScout checks web pages.' };
}
