import { createServer } from 'node:http';
import { solidPng } from './image-colour';

/** Serves `/c/<hex>.png` (and `/c/<hex>-<n>.png`, the same bytes at another URL): a solid 16 × 12 swatch of that colour. */
export async function startSwatchServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const m = /^\/c\/([0-9a-f]{6})(?:-\d+)?\.png$/.exec(req.url ?? '');
    if (!m) return void res.writeHead(404).end();
    const n = parseInt(m[1], 16);
    res.writeHead(200, { 'content-type': 'image/png' }).end(solidPng(16, 12, [n >> 16, (n >> 8) & 255, n & 255]));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
