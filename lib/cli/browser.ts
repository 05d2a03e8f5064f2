import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';

/** Set to 1 where Chromium cannot use its sandbox (as root in a container, some CI runners). */
export const NO_SANDBOX_ENV = 'ALTSCOUT_CHROMIUM_NO_SANDBOX';

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new ChromiumError(`Chromium not found at ${path}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  return path;
}

export class ChromiumError extends Error {}

/**
 * Chromium keeps its sandbox unless the environment asks otherwise: Playwright passes
 * --no-sandbox by itself unless `chromiumSandbox: true`, so it is always said explicitly.
 */
export function launchOptions(env: NodeJS.ProcessEnv = process.env) {
  const noSandbox = env[NO_SANDBOX_ENV] === '1';
  return {
    executablePath: chromiumPath(),
    headless: true,
    chromiumSandbox: !noSandbox,
    args: ['--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  };
}

export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const options = launchOptions(env);
  try {
    return await chromium.launch(options);
  } catch (error) {
    throw new ChromiumError(launchFailure(error instanceof Error ? error.message : String(error), options.chromiumSandbox));
  }
}

/** What to do when Chromium will not start, in words, instead of Playwright's launch log. */
export function launchFailure(message: string, sandboxed: boolean): string {
  if (sandboxed && /as root without --no-sandbox|No usable sandbox|sandbox/i.test(message)) {
    const why = /as root/i.test(message) ? 'Chromium will not run its sandbox as root' : 'Chromium found no usable sandbox on this machine';
    return `${why}. Run AltScout as an ordinary user, or, in a container or CI runner where that is not possible, set ${NO_SANDBOX_ENV}=1 to start Chromium without its sandbox.`;
  }
  return `Chromium did not start: ${message.split('\n')[0]}`;
}

/** A module bundled into one minified script, as it is injected into a page's isolated world. */
export async function pageScript(entry: string): Promise<string> {
  const out = await build({ entryPoints: [entry], bundle: true, write: false, format: 'iife', target: 'chrome110', minify: true, logLevel: 'silent' });
  return out.outputFiles[0].text;
}

let bundle: Promise<string> | null = null;

/** The scanner plus the CLI's in-page helpers, as one script that defines `__altscout` and `__altscoutCli`. */
export function scannerBundle(): Promise<string> {
  bundle ??= pageScript(fileURLToPath(new URL('./in-page.ts', import.meta.url)));
  return bundle;
}

/** One frame's isolated world: where the scanner runs, out of reach of the page's own scripts. */
export interface FrameWorld {
  /** 0 for the top frame, then in document order. */
  index: number;
  url: string;
  session: CDPSession;
  contextId: number;
}

const PROBE = 'img, input, area, svg, [role]';
/** What a frame with nothing to scan answers in place of the scanner. */
const EMPTY_FRAME = `window.__altscoutCli = { audit: () => ({ scan: { url: document.URL, title: document.title, lang: document.documentElement?.lang ?? '', doc: '', counts: { missing: 0, decorative: 0, suspicious: 0, ok: 0, ignored: 0 }, findings: [], scanMs: 0 }, readyState: document.readyState }) };0`;

type FrameTree = { frame: { id: string; url: string }; childFrames?: FrameTree[] };

/**
 * Isolated worlds, with the scanner loaded, in the frames of one page: frames in the page's own
 * process through its CDP session, out-of-process frames (other sites) through theirs. The top
 * frame's world is made once and kept while its document lives.
 */
export class PageWorlds {
  private extra: CDPSession[] = [];
  private topWorld: { frameId: string; world: FrameWorld } | null = null;

  private constructor(private readonly context: BrowserContext, private readonly page: Page, private readonly session: CDPSession) {}

  /** Worlds in `page`'s frames, through `session` (a CDP session on the page), which detach() ends. */
  static on(context: BrowserContext, page: Page, session: CDPSession): PageWorlds {
    return new PageWorlds(context, page, session);
  }

  /** The top frame's world (made again if the document changed since). */
  async top(): Promise<FrameWorld | null> {
    const { frameTree } = (await this.session.send('Page.getFrameTree')) as { frameTree: FrameTree };
    if (this.topWorld?.frameId === frameTree.frame.id && (await this.alive(this.topWorld.world))) return this.topWorld.world;
    const world = await this.open(this.session, frameTree, 0);
    this.topWorld = world ? { frameId: frameTree.frame.id, world } : null;
    return world;
  }

  /** Worlds in every frame, top first, then in document order. */
  async all(): Promise<FrameWorld[]> {
    const top = await this.top();
    if (!top) return [];
    for (const s of this.extra) await s.detach().catch(() => undefined);
    this.extra = [];
    for (const frame of this.page.frames().slice(1)) {
      // Only frames in a process of their own have a session; the rest throw and live in the page's.
      const session = await this.context.newCDPSession(frame).catch(() => null);
      if (session) this.extra.push(session);
    }
    const sessions = [this.session, ...this.extra];
    const trees = await Promise.all(sessions.map((s) => s.send('Page.getFrameTree').then((r) => (r as { frameTree: FrameTree }).frameTree).catch(() => null)));
    const roots = new Map<string, { session: CDPSession; tree: FrameTree }>();
    sessions.forEach((session, i) => {
      const tree = trees[i];
      if (tree && i > 0) roots.set(tree.frame.id, { session, tree });
    });
    const worlds: FrameWorld[] = [top];
    const seen = new Set<string>([trees[0]?.frame.id ?? '']);
    const walk = async (session: CDPSession, node: FrameTree): Promise<void> => {
      const own = roots.get(node.frame.id);
      if (own && own.session !== session) return walk(own.session, own.tree);
      // A frame whose document could not be loaded shows Chromium's error page: nothing to scan.
      if (!seen.has(node.frame.id) && !node.frame.url.startsWith('chrome-error:')) {
        const world = await this.open(session, node, worlds.length);
        if (world) {
          seen.add(node.frame.id);
          worlds.push(world);
        }
      }
      for (const child of node.childFrames ?? []) await walk(session, child);
    };
    for (const child of trees[0]?.childFrames ?? []) await walk(this.session, child);
    for (const { session, tree } of roots.values()) if (!seen.has(tree.frame.id)) await walk(session, tree);
    return worlds;
  }

  async detach(): Promise<void> {
    await Promise.all([this.session, ...this.extra].map((s) => s.detach().catch(() => undefined)));
  }

  private async alive(world: FrameWorld): Promise<boolean> {
    return evaluateIn(world, 'typeof window.__altscoutCli === "object"').then((v) => v === true, () => false);
  }

  private async open(session: CDPSession, node: FrameTree, index: number): Promise<FrameWorld | null> {
    try {
      const { executionContextId } = await session.send('Page.createIsolatedWorld', { frameId: node.frame.id, worldName: 'altscout', grantUniveralAccess: false });
      const world = { index, url: node.frame.url, session, contextId: executionContextId };
      // A frame without a single candidate element (an ad slot, an empty about:blank) is not
      // worth the scanner's code: it is answered as empty.
      const empty = index > 0 && (await evaluateIn<boolean>(world, `!document.querySelector(${JSON.stringify(PROBE)})`));
      await evaluateIn(world, empty ? EMPTY_FRAME : `${await scannerBundle()};0`);
      return world;
    } catch {
      return null;
    }
  }
}

export class PageScriptError extends Error {}

/** Evaluates an expression in one isolated world and returns its value (promises awaited). */
export async function evaluateIn<T>(world: Pick<FrameWorld, 'session' | 'contextId'>, expression: string): Promise<T> {
  const result = await world.session.send('Runtime.evaluate', { expression, contextId: world.contextId, returnByValue: true, awaitPromise: true });
  if (result.exceptionDetails) {
    const details = result.exceptionDetails;
    throw new PageScriptError(details.exception?.description?.split('\n')[0] ?? details.text);
  }
  return result.result.value as T;
}
