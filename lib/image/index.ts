export * from './skip';
export * from './source';
export * from './prepare';
export * from './dimensions';
export * from './fetch-policy';
export * from './load';
export { rasteriseInPage } from './page-raster';
