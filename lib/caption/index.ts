export * from './prompt';
export * from './sanitize';
export * from './errors';
export * from './openai';
export * from './on-device';
export * from './account';
