// -B none|line|full: when what a run prints reaches stdout or the -o file, as bpftrace's -B.
// A stream in front of the real one holds text back as the mode says; errors of the real
// stream (EPIPE when `| head` exits) are passed on, so the run still stops on them.
import { Writable } from 'node:stream';

export type BufferMode = 'none' | 'line' | 'full';

/** As C stdio's BUFSIZ, which bpftrace's full buffering uses. */
export const FULL_BUFFER_BYTES = 8192;

export class BufferedOutput extends Writable {
  private held = '';

  constructor(
    private readonly target: NodeJS.WritableStream,
    private readonly mode: BufferMode,
  ) {
    super({ decodeStrings: false });
    target.on('error', (e) => this.emit('error', e));
    this.on('error', () => {}); // as main's stdout: a closed pipe is the run's to notice, not a crash
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (this.mode === 'none') {
      this.target.write(text);
      return done();
    }
    this.held += text;
    if (this.mode === 'line') {
      // Everything up to the last complete line goes; a partial line waits for its newline.
      const cut = this.held.lastIndexOf('\n') + 1;
      if (cut > 0) this.pass(cut);
    } else if (this.held.length >= FULL_BUFFER_BYTES) {
      this.pass(this.held.length);
    }
    done();
  }

  override _final(done: (error?: Error | null) => void): void {
    this.flush();
    done();
  }

  /** Hands on everything held: at the end of a run, before the process exits. */
  flush(): void {
    if (this.held.length > 0) this.pass(this.held.length);
  }

  private pass(length: number): void {
    this.target.write(this.held.slice(0, length));
    this.held = this.held.slice(length);
  }
}
