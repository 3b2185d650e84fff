// -B none|line|full (issue 11): what reaches the real stream after each write.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BufferedOutput, FULL_BUFFER_BYTES, type BufferMode } from '../../../../src/cli/buffered-output.js';

function writesThrough(mode: BufferMode) {
  const target = new PassThrough();
  const seen: string[] = [];
  target.on('data', (d) => seen.push(String(d)));
  const out = new BufferedOutput(target, mode);
  return { out, seen };
}

describe('-B', () => {
  it('none passes every write on as it comes', () => {
    const { out, seen } = writesThrough('none');
    out.write('Attach');
    out.write('ing 1 probe...\nhi');
    expect(seen).toEqual(['Attach', 'ing 1 probe...\nhi']);
  });

  it('line passes complete lines and holds a partial one until its newline or the end', () => {
    const { out, seen } = writesThrough('line');
    out.write('a\nb');
    expect(seen).toEqual(['a\n']);
    out.write('c\nd');
    expect(seen).toEqual(['a\n', 'bc\n']);
    out.flush();
    expect(seen).toEqual(['a\n', 'bc\n', 'd']);
  });

  it('full holds text until 8 KiB are there', () => {
    const { out, seen } = writesThrough('full');
    out.write('x\n'.repeat(FULL_BUFFER_BYTES / 2 - 1));
    expect(seen).toEqual([]);
    out.write('y\n');
    expect(seen.join('')).toHaveLength(FULL_BUFFER_BYTES);
  });

  it("passes the real stream's errors on (EPIPE stops a run)", () => {
    const { out } = writesThrough('line');
    const errors: string[] = [];
    out.on('error', (e: NodeJS.ErrnoException) => errors.push(e.code ?? ''));
    const target = (out as unknown as { target: PassThrough }).target;
    target.emit('error', Object.assign(new Error('broken pipe'), { code: 'EPIPE' }));
    expect(errors).toEqual(['EPIPE']);
  });
});
