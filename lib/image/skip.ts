/**
 * Why an image could not be described. The code is stable (tests, CSV); the message is a plain
 * sentence for the person reviewing the results.
 */
export type ImageSkipCode =
  | 'no-source' | 'unsupported-scheme' | 'not-found' | 'http-error' | 'network' | 'too-large' | 'undecodable' | 'too-small'
  /** The fetching policy does not let this page make AltScout read the address (a local-network host, a file). */
  | 'refused'
  /** The document the image was found in is no longer in its frame (reloaded, left): nothing was read. */
  | 'page-changed';

export class ImageSkip extends Error {
  constructor(readonly code: ImageSkipCode, message: string) {
    super(message);
    this.name = 'ImageSkip';
  }
}

export const isImageSkip = (e: unknown): e is ImageSkip => e instanceof ImageSkip;
