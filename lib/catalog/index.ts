// Public face of the catalog: fetch and parse OpenRouter's model list, cache it, ship a snapshot.
export { fetchCatalog, modelsUrl, parseCatalogText } from './fetch';
export { CatalogError, parseCatalog } from './parse';
export { CatalogSchema, ModelSchema, type Catalog, type Model } from './schema';
export { offlineSnapshot } from './snapshot';
export { createCatalogService, REFRESH_AFTER_MS, type CatalogService } from './service';
