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

/**
 * When the browser refuses to run AltScout's page script on a page AltScout has access to, whether
 * that is the browser keeping the page from every extension, and how to say so. Firefox answers
 * "Missing host permission for the tab" on the sites it keeps from add-ons though the permission is
 * granted (Mozilla's own sites beyond the store, such as support.mozilla.org or accounts.firefox.com,
 * sites Firefox quarantines, and any an administrator adds); Chromium says a page "cannot be
 * scripted" (the web store, a site blocked by policy). Anything else (a page still loading, a
 * crashed frame) is not this: null.
 */
export function keptFromExtensions(error: unknown): { supported: false; reason: string } | null {
  const message = error instanceof Error ? error.message : String(error);
  if (/Missing host permission for the tab/i.test(message)) {
    return {
      supported: false,
      reason: 'Firefox keeps this site from add-ons (Mozilla\'s own sites, and sites Firefox or your administrator restricts). Open another page and try again.',
    };
  }
  if (/cannot be scripted/i.test(message)) {
    return { supported: false, reason: 'The browser keeps this page from extensions (the web store, or a site your administrator blocks). Open another page and try again.' };
  }
  return null;
}
