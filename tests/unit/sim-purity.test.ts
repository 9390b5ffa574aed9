import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// src/sim must stay pure: no DOM, no UI libraries, no clocks, no randomness (architecture.md §1).
const FORBIDDEN = /from ['"](svelte|d3|astro)[^'"]*['"]|\bdocument\.|\bwindow\.|Math\.random|Date\.now|performance\.now|new Date\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

describe('the emulator core', () => {
  it('imports no UI library and reads no clock or random source', () => {
    const offenders = sourceFiles('src/sim').filter((file) => FORBIDDEN.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('is type-checked without the DOM library', () => {
    const config = JSON.parse(readFileSync('src/sim/tsconfig.json', 'utf8'));
    expect(config.compilerOptions.lib).toEqual(['ES2022']);
  });
});
