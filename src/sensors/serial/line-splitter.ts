/** One line out of the byte stream, or why a line had to be thrown away. */
export type SplitLine =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: string; readonly excerpt: string };

const LF = 0x0a;
const CR = 0x0d;

/**
 * Cuts a serial byte stream into text lines. Pure and incremental: feed chunks as they arrive (a
 * line may span chunks, a multi-byte UTF-8 character too), get back the lines they completed.
 *
 * - A line ends at LF, CR or CRLF; the terminator is dropped. Empty and blank lines are skipped.
 * - A line is decoded as UTF-8 only once complete; invalid UTF-8 is a problem, not a line.
 * - A line longer than `maxLineBytes` is a problem reported as soon as it overflows (a device
 *   stuck at the wrong baud rate may never send a newline); its bytes are dropped up to the next
 *   terminator, so memory stays bounded whatever the device sends.
 */
export class LineSplitter {
  private parts: Uint8Array[] = [];
  private length = 0;
  private discarding = false;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly maxLineBytes = 4096) {}

  /** The lines (and problems) completed by `chunk`. */
  push(chunk: Uint8Array): SplitLine[] {
    const out: SplitLine[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte !== LF && byte !== CR) continue;
      this.append(chunk.subarray(start, i), out);
      this.finish(out);
      start = i + 1;
    }
    this.append(chunk.subarray(start), out);
    return out;
  }

  /** Forgets a partial line (the device was reopened: its tail belongs to nothing). */
  reset(): void {
    this.parts = [];
    this.length = 0;
    this.discarding = false;
  }

  private append(part: Uint8Array, out: SplitLine[]): void {
    if (this.discarding || part.length === 0) return;
    if (this.length + part.length > this.maxLineBytes) {
      const head = concat([...this.parts, part]).subarray(0, 40);
      out.push({ ok: false, reason: `line longer than ${this.maxLineBytes} bytes (dropped)`, excerpt: lossy(head) });
      this.parts = [];
      this.length = 0;
      this.discarding = true;
      return;
    }
    // Copy (a Buffer's slice() would be a view): the port may reuse the chunk's memory.
    this.parts.push(new Uint8Array(part));
    this.length += part.length;
  }

  private finish(out: SplitLine[]): void {
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    if (this.length === 0) return;
    const bytes = concat(this.parts);
    this.parts = [];
    this.length = 0;
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      out.push({ ok: false, reason: 'not valid UTF-8', excerpt: lossy(bytes) });
      return;
    }
    if (text.trim() !== '') out.push({ ok: true, text });
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function lossy(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}
