import { browser } from 'wxt/browser';
import { handle } from '../messaging';
import { createCatalogService, REFRESH_AFTER_MS, type CatalogService } from './catalog-service';
import { settingsItem } from '../storage';

export const CATALOG_ALARM = 'altscout:refresh-catalog';

/**
 * Background wiring for the catalog: answers getRanking and refreshCatalog, refreshes on install,
 * every ~12 h by alarm (alarms survive the MV3 worker sleeping), and when the API base changes.
 */
export function registerCatalog(service: CatalogService = createCatalogService()): CatalogService {
  handle('getRanking', (input) => service.getRanking(input));
  handle('refreshCatalog', () => service.refreshCatalog());

  browser.runtime.onInstalled.addListener(() => {
    void service.refresh();
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === CATALOG_ALARM) void service.refresh();
  });
  // Re-creating an alarm resets its countdown, so only create it when it is missing.
  void browser.alarms.get(CATALOG_ALARM).then((existing) => {
    if (!existing) {
      const minutes = REFRESH_AFTER_MS / 60_000;
      void browser.alarms.create(CATALOG_ALARM, { delayInMinutes: minutes, periodInMinutes: minutes });
    }
  });
  settingsItem.watch((next, prev) => {
    if (next?.apiBase !== prev?.apiBase) void service.refresh();
  });
  return service;
}
