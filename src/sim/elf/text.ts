// Models: the bytes of C strings in a module (.modinfo values, names) read as text: UTF-8, as
// gcc stores string literals, so an author's accented name survives.
// Simplifies: a byte sequence that is not valid UTF-8 is read as Latin-1 instead, byte for byte.

/** Decodes `bytes` as UTF-8; if any sequence is invalid, as Latin-1. Never throws. */
export function decodeText(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return latin1(bytes);
    let code = length === 1 ? b : b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k] as number;
      if ((c & 0xc0) !== 0x80) return latin1(bytes);
      code = (code << 6) | (c & 0x3f);
    }
    const least = [0, 0, 0x80, 0x800, 0x10000][length] as number;
    if (code < least || code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) return latin1(bytes);
    text += String.fromCodePoint(code);
    i += length;
  }
  return text;
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return text;
}
