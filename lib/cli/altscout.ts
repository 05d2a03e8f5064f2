// `npm run altscout -- <command>`: the same lib/ code the extension runs, for people and CI.
const USAGE = `Usage: npm run altscout -- <command> [options]

Commands:
  models     rank captioning or generation models from the catalog
  audit      scan pages for images without a usable text alternative
  describe   scan a page and describe its missing images with a model

Run "npm run altscout -- <command> --help" for a command's options.`;

const commands: Record<string, () => Promise<{ run(args: string[]): Promise<number> }>> = {
  models: () => import('./models'),
  audit: () => import('./audit'),
  describe: () => import('./describe'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  return (await load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
