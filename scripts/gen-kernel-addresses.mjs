#!/usr/bin/env node
// Writes src/sim/data/kernel-addresses.json: the real addresses (with nokaslr) of the kernel
// symbols the samples import, as the real Debian 6.1 kernel listed them in /proc/kallsyms during
// the oracle's runs (tests/fixtures/real-kernel/*-layout.txt). The emulated kernel places those
// exports at the same addresses, so relocated module bytes can be compared byte for byte.
// Run after samples/oracle/run.sh: node scripts/gen-kernel-addresses.mjs
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const dir = 'tests/fixtures/real-kernel';
const addresses = {};
for (const file of readdirSync(dir).filter((f) => f.endsWith('-layout.txt')).sort()) {
  const lines = readFileSync(`${dir}/${file}`, 'utf8').split('\n');
  const start = lines.findIndex((l) => /^--- \/proc\/kallsyms: symbols .* imports ---$/.test(l));
  for (const line of start < 0 ? [] : lines.slice(start + 1)) {
    const m = /^(ffffffff[0-9a-f]{8}) ([A-Za-z]) (\S+)$/.exec(line);
    if (!m) break;
    addresses[m[3]] = { address: m[1], type: m[2] };
  }
}
const sorted = Object.fromEntries(Object.entries(addresses).sort(([a], [b]) => a.localeCompare(b)));
const out = { format: 'ring0-kernel-addresses/1', source: `${dir}/*-layout.txt (/proc/kallsyms of linux-image-6.1.0-56-amd64 booted with nokaslr)`, symbols: sorted };
writeFileSync('src/sim/data/kernel-addresses.json', JSON.stringify(out, null, 2) + '\n');
console.log(`${Object.keys(sorted).length} addresses`);
