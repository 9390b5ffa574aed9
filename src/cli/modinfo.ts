// Models: what kmod 30's `modinfo FILE` prints (kmod tools/modinfo.c modinfo_do, process_parm;
// libkmod kmod_module_get_info): filename, each .modinfo tag, the signature, then parameters.
// Simplifies: files only (no module-name or alias lookup in /lib/modules); no -F or -0.

import type { Modinfo } from '../sim/elf/index';

/** The lines kmod prints for one module; `problems` gets what kmod writes to stderr. */
export function modinfoListing(info: Modinfo, filename: string, signatureLines: readonly [string, string][], problems: string[]): string[] {
  const lines = [`${'filename:'.padEnd(16, ' ')}${filename}`];
  const params: Param[] = [];
  for (const entry of info.entries) {
    const value = entry.value ?? '';
    if (entry.tag === 'parm' || entry.tag === 'parmtype') {
      const problem = addParam(params, entry.tag, value);
      if (problem) problems.push(problem);
      continue;
    }
    lines.push(field(entry.tag, value));
  }
  for (const [key, value] of signatureLines) lines.push(field(key, value));
  // kmod keeps parameters in a list it prepends to, so the last one named prints first.
  for (const p of [...params].reverse()) {
    if (p.description === null) lines.push(`${'parm:'.padEnd(16, ' ')}${p.name}:${p.type ?? ''}`);
    else if (p.type !== null) lines.push(`${'parm:'.padEnd(16, ' ')}${p.name}:${p.description} (${p.type})`);
    else lines.push(`${'parm:'.padEnd(16, ' ')}${p.name}:${p.description}`);
  }
  return lines;
}

/** printf("%s:%-*s%s", key, 15 - keylen, "", value): a negative width still pads, to its size. */
function field(key: string, value: string): string {
  return `${key}:${' '.repeat(Math.abs(15 - key.length))}${value}`;
}

interface Param {
  name: string;
  description: string | null;
  type: string | null;
}

/** parm=name:description and parmtype=name:type merge into one parameter, by name. */
function addParam(params: Param[], tag: string, value: string): string | null {
  const colon = value.indexOf(':');
  if (colon < 0) return `modinfo: ERROR: Found invalid "${tag}=${value}": missing ':'`;
  const name = value.slice(0, colon);
  let p = params.find((q) => q.name === name);
  if (!p) {
    p = { name, description: null, type: null };
    params.push(p);
  }
  if (tag === 'parm') p.description = value.slice(colon + 1);
  else p.type = value.slice(colon + 1);
  return null;
}

/** kmod prints binary signature fields as XX:XX:…, 20 bytes to a line, continued after two tabs. */
export function kmodHex(bytes: Uint8Array): string {
  let text = '';
  bytes.forEach((b, i) => {
    text += b.toString(16).toUpperCase().padStart(2, '0');
    if (i < bytes.length - 1) text += (i + 1) % 20 === 0 ? ':\n\t\t' : ':';
  });
  return text;
}
