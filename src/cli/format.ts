// Models: the number formats binutils prints (printf's %x, %0Nx, %Nd).
// Simplifies: only what the readelf and objdump listings need.

export function hexPad(value: bigint | number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

export function padLeft(text: string | number, width: number): string {
  return String(text).padStart(width, ' ');
}

export function padRight(text: string, width: number): string {
  return text.padEnd(width, ' ');
}

/** A program's output as lines, without the empty one after a final newline. */
export function outputLines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}
