/**
 * One progress line on stderr (never stdout): pages done of the total, failures, pages per second.
 * A terminal gets the line rewritten in place; a log (CI) gets a line every few seconds.
 */
export class Progress {
  private done = 0;
  private failed = 0;
  private readonly started = Date.now();
  private lastPrint = Date.now();

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly total: () => number | null,
    private readonly enabled = true,
    private readonly logEveryMs = 5000,
  ) {}

  page(failed: boolean): void {
    this.done += 1;
    if (failed) this.failed += 1;
    if (!this.enabled) return;
    const now = Date.now();
    if (this.stream.isTTY) {
      if (now - this.lastPrint >= 100) this.print(`\r\x1b[K${this.line()}`, now);
    } else if (now - this.lastPrint >= this.logEveryMs) {
      this.print(`${this.line()}\n`, now);
    }
  }

  finish(): void {
    if (!this.enabled) return;
    this.print(this.stream.isTTY ? `\r\x1b[K${this.line()}\n` : `${this.line()}\n`, Date.now());
  }

  line(): string {
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    const total = this.total();
    return `altscout audit: ${this.done}${total == null ? '' : `/${total}`} pages, ${this.failed} failed, ${(this.done / seconds).toFixed(2)} pages/s`;
  }

  private print(text: string, now: number) {
    this.lastPrint = now;
    this.stream.write(text);
  }
}
