/** A one-line progress bar on stderr; silent when stderr is not a terminal except for a final line. */
export class ProgressBar {
  private readonly started = performance.now();
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit = 'items',
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number): void {
    const now = performance.now();
    if (done < this.total && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    if (!this.stream.isTTY) return;
    const width = 28;
    const filled = Math.round((done / this.total) * width);
    const rate = done / ((now - this.started) / 1000 || 1);
    const eta = rate > 0 ? (this.total - done) / rate : 0;
    this.stream.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} ${rate.toFixed(1)} ${this.unit}/s eta ${eta.toFixed(0)}s `);
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
