import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';

/** Saved editor markup (tests/fixtures/cms/) loaded at the address it was saved from, in its own window. */
export function fixtureDocument(name: string, url: string): Document {
  const window = new Window({ url, settings: { disableJavaScriptFileLoading: true, disableIframePageLoading: true, navigation: { disableMainFrameNavigation: true, disableChildFrameNavigation: true, disableChildPageNavigation: true } } });
  window.document.write(readFileSync(`tests/fixtures/cms/${name}`, 'utf8'));
  return window.document as unknown as Document;
}
