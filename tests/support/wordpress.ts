import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';

/**
 * A real WordPress (Debian's 6.1 package) for tests, without Apache or systemd: its own MariaDB
 * (data directory in a temporary folder, bound to 127.0.0.1) and `php -S` with a few workers,
 * each started in its own process group and stopped by killing that group. Nothing outside the
 * temporary folder is written: the web root is a folder of symlinks to /usr/share/wordpress with
 * its own wp-config.php and wp-content (a minimal theme, uploads).
 *
 * Packages: wordpress mariadb-server php8.2-cli php8.2-mysql php8.2-gd php8.2 php8.2-cgi
 * micro-httpd (`.ci/run` installs them when missing). Facts and traps:
 * ../shared/design/wordpress-testing.md.
 */

export const WORDPRESS_DIR = '/usr/share/wordpress';
export const WORDPRESS_PACKAGES = ['wordpress', 'mariadb-server', 'php8.2-cli', 'php8.2-mysql', 'php8.2-gd', 'php8.2', 'php8.2-cgi', 'micro-httpd'];
const HERE = resolve(dirname(fileURLToPath(import.meta.url)), 'wordpress');

export interface Attachment {
  id: number;
  url: string;
}

export interface NewAttachment {
  file: string;
  title: string;
  alt?: string;
}

export interface WordPress {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  user: string;
  password: string;
  /** Milliseconds per start-up step, and in all. */
  timings: Record<'database' | 'install' | 'web' | 'total', number>;
  /** Uploads an image file as an attachment (no alt unless given). */
  createAttachment(options: NewAttachment): Promise<Attachment>;
  /** Several at once (one PHP run: WordPress loads once). */
  createAttachments(list: NewAttachment[]): Promise<Attachment[]>;
  /** Saves a post with the given block markup. */
  createPost(options: { title: string; content: string; status?: 'publish' | 'draft' }): Promise<{ id: number }>;
  /** Logs the admin in, in this browser context (cookies only: the caller's pages keep their state). */
  login(context: BrowserContext): Promise<void>;
  /** `_wp_attachment_image_alt` as stored (null when the attachment has none). */
  attachmentAlt(id: number): Promise<string | null>;
  /** `post_content` as stored. */
  postContent(id: number): Promise<string>;
  /** Runs SQL against the site's database and returns the rows (tab-separated columns, unescaped). */
  sql(query: string): Promise<string[][]>;
  stop(): Promise<void>;
}

/** Says what is missing for a test WordPress on this machine, or null when everything is there. */
export function wordPressMissing(): string | null {
  const needs: [string, string][] = [
    [`${WORDPRESS_DIR}/wp-load.php`, 'wordpress'],
    ['/usr/sbin/mariadbd', 'mariadb-server'],
    ['/usr/bin/mariadb-install-db', 'mariadb-server'],
    ['/usr/bin/php', 'php8.2-cli'],
  ];
  const missing = [...new Set(needs.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg))];
  return missing.length
    ? `WordPress tests need Debian packages that are not installed (${missing.join(', ')}): run .ci/run, or apt-get install --no-install-recommends ${WORDPRESS_PACKAGES.join(' ')}`
    : null;
}

function run(command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((ok, fail) => {
    const child = execFile(command, args, { env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else ok(stdout);
    });
    child.stdin?.on('error', () => {}); // a command that exits early reports through its status
    child.stdin?.end(options.input ?? '');
  });
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); ok(true); });
    socket.once('error', () => ok(false));
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, child: ChildProcess, log: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode != null || child.signalCode != null) {
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(log)}`);
    }
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} not ready after ${timeoutMs / 1000} s:\n${tail(log)}`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts a server in its own session and process group (setsid), logging to a file. A small shell
 * leads the group and watches this process: if the test run dies without stopping the server (a
 * crash, Ctrl-C, a kill), the shell kills the whole group within a second.
 */
const WATCH = 'parent=$1; shift; "$@" & server=$!; while kill -0 "$parent" 2>/dev/null && kill -0 "$server" 2>/dev/null; do sleep 1; done; kill -KILL 0';
function startGroup(command: string, args: string[], log: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const fd = openSync(log, 'a');
  const child = spawn('sh', ['-c', WATCH, 'sh', String(process.pid), command, ...args], { detached: true, stdio: ['ignore', fd, fd], env });
  child.unref();
  return child;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid == null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Waits until no process of the child's group is left (the server, not just the shell leading it). */
async function groupGone(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(-child.pid!, 0);
    } catch {
      return true; // ESRCH: the group is empty
    }
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** PHP single-quoted string literal. */
function php(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Undoes the escaping of `mariadb --batch` output (\n, \t, \\, \0). */
function unescapeBatch(cell: string): string {
  return cell.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', '0': '\0', '\\': '\\' })[c] ?? c);
}

export async function startWordPress(): Promise<WordPress> {
  const missing = wordPressMissing();
  if (missing) throw new Error(missing);
  const started = Date.now();
  const timings = { database: 0, install: 0, web: 0, total: 0 };
  const asRoot = process.getuid?.() === 0;
  const osUser = userInfo().username;

  const dir = mkdtempSync(join(tmpdir(), 'altscout-wp-'));
  chmodSync(dir, 0o755); // mariadbd runs as mysql when we are root and must reach its folders
  const dbDir = join(dir, 'db');
  const runDir = join(dir, 'run');
  const www = join(dir, 'www');
  for (const d of [dbDir, runDir, www]) mkdirSync(d);
  if (asRoot) {
    const mysql = Number((await run('id', ['-u', 'mysql'])).trim());
    const mysqlGroup = Number((await run('id', ['-g', 'mysql'])).trim());
    chownSync(dbDir, mysql, mysqlGroup);
    chownSync(runDir, mysql, mysqlGroup);
  }
  const children: ChildProcess[] = [];
  const removeDir = () => {
    // Retries: a server killed a moment ago may still be closing files in it.
    if (!process.env.ALTSCOUT_WP_KEEP) rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  };
  // A test run that exits without stop() leaves no server and no folder behind.
  const killAll = () => {
    children.forEach((c) => killGroup(c, 'SIGKILL'));
    removeDir();
  };
  process.once('exit', killAll);

  const [dbPort, webPort] = [await freePort(), await freePort()];
  const socket = join(runDir, 'mysqld.sock');
  const dbPassword = randomBytes(12).toString('hex');
  const password = randomBytes(12).toString('hex');
  const url = `http://127.0.0.1:${webPort}`;
  const dbArgs = [
    '--no-defaults',
    `--datadir=${dbDir}`,
    ...(asRoot ? ['--user=mysql'] : []),
    '--skip-name-resolve',
    '--innodb-log-file-size=8M',
  ];

  try {
    // Database: a fresh data directory, then the server on 127.0.0.1 and a socket of its own.
    let t = Date.now();
    await run('mariadb-install-db', [...dbArgs, '--skip-test-db', '--auth-root-authentication-method=socket']);
    const dbLog = join(runDir, 'mariadbd.log');
    const db = startGroup('mariadbd', [
      ...dbArgs,
      `--socket=${socket}`,
      `--pid-file=${join(runDir, 'mariadbd.pid')}`,
      `--port=${dbPort}`,
      '--bind-address=127.0.0.1',
      '--innodb-buffer-pool-size=32M',
      '--skip-log-bin',
      `--log-error=${dbLog}`,
    ], dbLog);
    children.push(db);
    const client = ['--no-defaults', `--socket=${socket}`, `--user=${osUser}`];
    await waitFor('MariaDB', async () => run('mariadb-admin', [...client, 'ping']).then(() => true, () => false), db, dbLog);
    await run('mariadb', [...client, '-e',
      `CREATE DATABASE wordpress; CREATE USER 'wordpress'@'127.0.0.1' IDENTIFIED BY '${dbPassword}'; GRANT ALL ON wordpress.* TO 'wordpress'@'127.0.0.1';`]);
    timings.database = Date.now() - t;

    // Web root: WordPress's files by symlink; our own config and content folder.
    t = Date.now();
    for (const name of readdirSync(WORDPRESS_DIR)) {
      if (name !== 'wp-config.php' && name !== 'wp-content') symlinkSync(join(WORDPRESS_DIR, name), join(www, name));
    }
    for (const d of ['wp-content', 'wp-content/themes', 'wp-content/plugins', 'wp-content/uploads']) mkdirSync(join(www, d));
    symlinkSync(resolve(HERE, 'theme'), join(www, 'wp-content/themes/altscout-test'));
    writeFileSync(join(www, 'wp-config.php'), `<?php
// Written by tests/support/wordpress.ts for one test run.
if ( PHP_SAPI === 'cli' && empty( $_SERVER['HTTP_HOST'] ) ) { $_SERVER['HTTP_HOST'] = ${php(`127.0.0.1:${webPort}`)}; }
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wordpress' );
define( 'DB_PASSWORD', ${php(dbPassword)} );
define( 'DB_HOST', ${php(`127.0.0.1:${dbPort}`)} );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
${['AUTH', 'SECURE_AUTH', 'LOGGED_IN', 'NONCE'].flatMap((k) => [`${k}_KEY`, `${k}_SALT`]).map((k) => `define( '${k}', ${php(randomBytes(24).toString('hex'))} );`).join('\n')}
$table_prefix = 'wp_';
define( 'WP_HOME', ${php(url)} );
define( 'WP_SITEURL', ${php(url)} );
define( 'WP_CONTENT_DIR', ABSPATH . 'wp-content' );
define( 'WP_CONTENT_URL', ${php(`${url}/wp-content`)} );
define( 'WP_DEFAULT_THEME', 'altscout-test' );
// Offline and quiet: no outgoing HTTP, no cron, no updates, files written directly.
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );
define( 'FS_METHOD', 'direct' );
define( 'WP_DEBUG', false );
require_once ABSPATH . 'wp-settings.php';
`);
    // Debian's wp-load.php sits in /usr/share/wordpress; defining ABSPATH first makes it read our config.
    const prepend = join(dir, 'prepend.php');
    writeFileSync(prepend, `<?php define( 'ABSPATH', ${php(`${www}/`)} );\n`);

    await tool(www, 'install', { title: 'AltScout test site', user: 'admin', password, email: 'admin@example.invalid' });
    timings.install = Date.now() - t;

    t = Date.now();
    const webLog = join(dir, 'php-server.log');
    const web = startGroup('php', ['-d', `auto_prepend_file=${prepend}`, '-d', 'opcache.enable_cli=1', '-d', 'memory_limit=256M', '-S', `127.0.0.1:${webPort}`, '-t', www], webLog, {
      ...process.env,
      PHP_CLI_SERVER_WORKERS: '4',
    });
    children.push(web);
    await waitFor('php -S', () => canConnect(webPort), web, webLog);
    timings.web = Date.now() - t;
    timings.total = Date.now() - started;

    const sql = async (query: string) => {
      const out = await run('mariadb', [...client, '--batch', '--skip-column-names', 'wordpress', '-e', query]);
      return out.split('\n').filter((line) => line !== '').map((line) => line.split('\t').map(unescapeBatch));
    };
    const id = (n: number) => {
      if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`not a post id: ${n}`);
      return n;
    };

    return {
      url,
      user: 'admin',
      password,
      timings,
      createAttachment: async (options) => ((await tool(www, 'attachments', { items: [options] })) as Attachment[])[0],
      createAttachments: (items) => tool(www, 'attachments', { items }) as Promise<Attachment[]>,
      createPost: (options) => tool(www, 'post', options) as Promise<{ id: number }>,
      async login(context) {
        const page = await context.newPage();
        try {
          await page.goto(`${url}/wp-login.php`, { waitUntil: 'domcontentloaded' });
          await page.fill('#user_login', 'admin');
          await page.fill('#user_pass', password);
          await Promise.all([page.waitForURL(/\/wp-admin\//, { waitUntil: 'commit' }), page.click('#wp-submit')]);
        } finally {
          await page.close();
        }
      },
      async attachmentAlt(n) {
        const rows = await sql(`SELECT meta_value FROM wp_postmeta WHERE post_id = ${id(n)} AND meta_key = '_wp_attachment_image_alt'`);
        return rows[0]?.[0] ?? null;
      },
      async postContent(n) {
        const rows = await sql(`SELECT post_content FROM wp_posts WHERE ID = ${id(n)}`);
        if (!rows.length) throw new Error(`no post ${n}`);
        return rows[0][0];
      },
      sql,
      async stop() {
        process.removeListener('exit', killAll);
        // php -S workers outlive a plain kill of the parent and keep the port: kill the group.
        // The database is thrown away, so it need not shut down cleanly.
        killGroup(web, 'SIGKILL');
        killGroup(db, 'SIGKILL');
        await Promise.all([groupGone(web, 5_000), groupGone(db, 5_000)]);
        removeDir();
      },
    };
  } catch (error) {
    killAll();
    process.removeListener('exit', killAll);
    throw error;
  }
}

/** Text for HTML content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Block markup for an Image block as WordPress 6.1's editor saves it (alt="" when none). */
export function imageBlock(attachment: Attachment, options: { alt?: string; caption?: string } = {}): string {
  const caption = options.caption ? `<figcaption class="wp-element-caption">${escapeHtml(options.caption)}</figcaption>` : '';
  return `<!-- wp:image {"id":${attachment.id},"sizeSlug":"full","linkDestination":"none"} -->
<figure class="wp-block-image size-full"><img src="${escapeHtml(attachment.url)}" alt="${escapeHtml(options.alt ?? '')}" class="wp-image-${attachment.id}"/>${caption}</figure>
<!-- /wp:image -->`;
}

export function paragraphBlock(text: string): string {
  return `<!-- wp:paragraph -->\n<p>${escapeHtml(text)}</p>\n<!-- /wp:paragraph -->`;
}

export function headingBlock(text: string): string {
  return `<!-- wp:heading -->\n<h2>${escapeHtml(text)}</h2>\n<!-- /wp:heading -->`;
}

async function tool(www: string, command: string, input: object): Promise<unknown> {
  const out = await run('php', ['-d', 'memory_limit=256M', resolve(HERE, 'tool.php'), www, command], { input: JSON.stringify(input) });
  return JSON.parse(out.trim().split('\n').pop() ?? 'null');
}
