// Placeholder until its issue lands; prints a clear message instead of failing obscurely.
export async function run(_args: string[]): Promise<number> {
  console.error('altscout models: not available yet.');
  return 2;
}
