// The samples' user programs again, as /samples/<name>.elf: the files themselves have no
// extension, and `astro preview` (what `npm start` serves) answers 404 for an extensionless path,
// taking it for a page. The bytes are the same file's (public/samples/<name>).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRoute } from 'astro';

const dir = join(process.cwd(), 'public/samples');

const isElf = (path: string) => readFileSync(path).subarray(0, 4).toString('latin1') === '\x7fELF';

export function getStaticPaths() {
  return readdirSync(dir)
    .filter((name) => !name.includes('.') && statSync(join(dir, name)).isFile() && isElf(join(dir, name)))
    .map((program) => ({ params: { program } }));
}

export const GET: APIRoute = ({ params }) => new Response(readFileSync(join(dir, params.program!)), { headers: { 'Content-Type': 'application/octet-stream' } });
