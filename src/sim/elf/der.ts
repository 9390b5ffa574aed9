// Models: ASN.1 DER encoding, tag-length-value by tag-length-value (ITU-T X.690 §8 and §10;
// what Linux 6.1 lib/asn1_decoder.c walks for crypto/asymmetric_keys/pkcs7.asn1).
// Simplifies: single-byte tags and definite lengths up to 4 length bytes only (DER needs no more
// here); values are views into the input, never copies, so a walk allocates only small records.

/** One element: its tag byte, and where its header and contents lie in the input. */
export interface DerElement {
  /** The identifier octet: class (bits 7–6), constructed (bit 5), number (bits 4–0). */
  readonly tag: number;
  readonly constructed: boolean;
  /** Offset of the identifier octet, of the first content byte, and just past the contents. */
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
  /** A view of the contents. */
  readonly content: Uint8Array;
}

/** Where a walk stopped and why. A value, never thrown. */
export interface DerError {
  readonly kind: 'der-error';
  readonly offset: number;
  readonly message: string;
}

export const DER = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8String: 0x0c,
  PrintableString: 0x13,
  T61String: 0x14,
  IA5String: 0x16,
  BMPString: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
  /** [0] and [1], constructed, context-specific. */
  CONTEXT_0: 0xa0,
  CONTEXT_1: 0xa1,
} as const;

export function derError(offset: number, message: string): DerError {
  return { kind: 'der-error', offset, message };
}

/** Reads the element at `offset`, which must end by `limit`. */
export function readDer(bytes: Uint8Array, offset: number, limit: number = bytes.length): DerElement | DerError {
  if (offset + 2 > limit) return derError(offset, `an element needs at least 2 bytes, but only ${Math.max(0, limit - offset)} remain`);
  const tag = bytes[offset] as number;
  if ((tag & 0x1f) === 0x1f) return derError(offset, `tag 0x${tag.toString(16)} uses the multi-byte tag form, which no PKCS#7 field here needs`);
  const first = bytes[offset + 1] as number;
  let length = first;
  let contentStart = offset + 2;
  if (first === 0x80) return derError(offset, 'an indefinite length (0x80) is BER, not DER');
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 4) return derError(offset, `a length of ${count} bytes is longer than any signature could be`);
    if (contentStart + count > limit) return derError(offset, 'the length bytes run past the end of the enclosing element');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[contentStart + i] as number);
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) return derError(offset, `an element of ${length} bytes at offset ${contentStart} runs past its enclosing element, which ends at ${limit}`);
  return { tag, constructed: (tag & 0x20) !== 0, start: offset, contentStart, end, content: bytes.subarray(contentStart, end) };
}

/** Reads the element at `offset` and checks its tag. */
export function expectDer(bytes: Uint8Array, offset: number, limit: number, tag: number, what: string): DerElement | DerError {
  const e = readDer(bytes, offset, limit);
  if ('kind' in e) return derError(e.offset, `${what}: ${e.message}`);
  if (e.tag !== tag) return derError(offset, `${what} should have tag 0x${tag.toString(16)}, but has 0x${e.tag.toString(16)}`);
  return e;
}

/** The elements directly inside a constructed element, in order. */
export function derChildren(bytes: Uint8Array, parent: DerElement): DerElement[] | DerError {
  const children: DerElement[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const child = readDer(bytes, at, parent.end);
    if ('kind' in child) return child;
    children.push(child);
    at = child.end;
  }
  return children;
}

/** An OBJECT IDENTIFIER in dotted form ("2.16.840.1.101.3.4.2.1"), or null if malformed. */
export function decodeOid(content: Uint8Array): string | null {
  if (content.length === 0 || (content[content.length - 1] as number) & 0x80) return null;
  const arcs: number[] = [];
  let value = 0;
  let digits = 0;
  for (const b of content) {
    if (digits === 0 && b === 0x80) return null; // a leading zero digit is not DER
    value = value * 128 + (b & 0x7f);
    digits++;
    if (digits > 7) return null; // beyond 2^49: no arc in a signature is this large
    if ((b & 0x80) === 0) {
      arcs.push(value);
      value = 0;
      digits = 0;
    }
  }
  const first = arcs[0] as number;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}
