// Models: the machine's RAM, addressed by physical address, in 4 KiB frames.
// Simplifies: frames are allocated on first write (unwritten RAM reads as zero); an access beyond
// RAM reads 0xff and is dropped on write, as an unclaimed bus cycle would be. No memory-mapped
// devices yet.

export const PAGE_SIZE = 4096;
const ZERO = new Uint8Array(PAGE_SIZE);

export class PhysicalMemory {
  readonly frames: (Uint8Array | undefined)[];
  /** Frames that hold decoded instructions; a write to one must drop them (see Machine). */
  onWrite: ((frame: number) => void) | undefined;

  constructor(readonly bytes: number) {
    this.frames = new Array(Math.ceil(bytes / PAGE_SIZE));
  }

  get frameCount() {
    return this.frames.length;
  }

  /** The frame's bytes for reading; unwritten frames read as zeros; undefined beyond RAM. */
  frameForRead(frame: number): Uint8Array | undefined {
    if (frame < 0 || frame >= this.frames.length) return undefined;
    return this.frames[frame] ?? ZERO;
  }

  /** The frame's bytes for writing, allocated on first use; undefined beyond RAM. */
  frameForWrite(frame: number): Uint8Array | undefined {
    if (frame < 0 || frame >= this.frames.length) return undefined;
    this.onWrite?.(frame);
    return (this.frames[frame] ??= new Uint8Array(PAGE_SIZE));
  }

  read8(pa: number): number {
    const f = this.frameForRead(Math.floor(pa / PAGE_SIZE));
    return f ? f[pa % PAGE_SIZE]! : 0xff;
  }

  write8(pa: number, value: number) {
    const f = this.frameForWrite(Math.floor(pa / PAGE_SIZE));
    if (f) f[pa % PAGE_SIZE] = value;
  }

  /** Little-endian 32-bit read (unsigned). */
  read32(pa: number): number {
    return (this.read8(pa) | (this.read8(pa + 1) << 8) | (this.read8(pa + 2) << 16) | (this.read8(pa + 3) << 24)) >>> 0;
  }

  write32(pa: number, value: number) {
    for (let i = 0; i < 4; i++) this.write8(pa + i, (value >>> (8 * i)) & 0xff);
  }

  /** Copies bytes in, page by page (loading programs, page tables, fixtures). */
  load(pa: number, data: ArrayLike<number>) {
    for (let i = 0; i < data.length; i++) this.write8(pa + i, data[i]!);
  }

  /** Plain-data copy of every written frame, for snapshots. */
  snapshot(): { bytes: number; frames: [number, number[]][] } {
    const frames: [number, number[]][] = [];
    this.frames.forEach((f, i) => f && frames.push([i, Array.from(f)]));
    return { bytes: this.bytes, frames };
  }

  static fromSnapshot(s: { bytes: number; frames: [number, number[]][] }): PhysicalMemory {
    const m = new PhysicalMemory(s.bytes);
    for (const [i, data] of s.frames) m.frames[i] = Uint8Array.from(data);
    return m;
  }
}
