export * from './skip';
export * from './source';
export * from './prepare';
export { rasteriseInPage } from './page-raster';
