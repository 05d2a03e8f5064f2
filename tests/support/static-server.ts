import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};

export interface StaticServer {
  url: string;
  /** Paths (with query) asked for so far, in order. */
  requests(): string[];
  close(): Promise<void>;
}

/** Serves files under `roots` (first match wins) on 127.0.0.1 at a free port. */
export async function startStaticServer(...roots: string[]): Promise<StaticServer> {
  const dirs = roots.map((r) => resolve(r));
  const log: string[] = [];
  const server: Server = createServer(async (req, res) => {
    log.push(req.url ?? '/');
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    for (const dir of dirs) {
      const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
      if (!file.startsWith(dir)) break;
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
        return;
      } catch {
        // try the next root
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => [...log],
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
