/**
 * Host access as the UI uses it (contract 6): which sites a step needs, which of them AltScout may
 * not read yet, asking for them from the click that chose "This site" or "All sites", and the
 * options page's list of grants with a way to take each back. The rules and the browser calls
 * live in lib/permissions.ts.
 */
export { browserHostAccess, originsForImages, originsForPage, type AccessChoice, type HostAccess, type SiteGrant } from '@/lib/permissions';
