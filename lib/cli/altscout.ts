// `npm run altscout -- <command>`: the same lib/ code the extension runs, for people and CI.
const USAGE = `Usage: npm run altscout -- <command> [options]

Commands:
  models     rank captioning or generation models from the catalog
  audit      scan pages (a list, a sitemap, a crawl, a shard) for images without a usable text alternative
  merge      combine audit results (CI shards) into one report, in any format
  describe   scan a page and describe its missing images with a model
  compare    describe the same images of a page with several models, side by side with cost and latency

Run "npm run altscout -- <command> --help" for a command's options.`;

const commands: Record<string, () => Promise<{ run(args: string[]): Promise<number> }>> = {
  models: () => import('./models'),
  audit: () => import('./audit'),
  merge: () => import('./merge'),
  describe: () => import('./describe'),
  compare: () => import('./compare'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    (name ? console.log : console.error)(USAGE);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`altscout: unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  return (await load()).run(rest);
}

/**
 * No process.exit: the process ends once everything written to stdout and stderr has been
 * handed over, however slowly a pipe reads it. A handle left open by mistake cannot keep it
 * alive for long, but it is only cut short once both streams have nothing left to write.
 */
function finish(code: number) {
  process.exitCode = code;
  const force = () => {
    if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
    else setTimeout(force, 200).unref();
  };
  setTimeout(force, 10_000).unref();
}

main(process.argv.slice(2)).then(finish, (error: unknown) => {
  console.error(`altscout: ${error instanceof Error ? error.message : String(error)}`);
  finish(2);
});
