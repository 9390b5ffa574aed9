// Models: busybox 1.35's `grep` (findutils/grep.c) for the book's uses: `grep [-icvwxqsnhHlFE]
// PATTERN FILE...` with POSIX basic regular expressions by default (regcomp() of the static
// glibc busybox is linked with: . [] [^] [[:class:]] * ^ $ \( \) \{m,n\} \| and \+ \? as GNU
// extensions; + ? ( ) { } | are ordinary characters), -E extended ones, -F fixed strings;
// matching lines printed, with "FILE:" when there are several files; -c counts, -q prints
// nothing, -v inverts, -w and -x match whole words or lines, -i ignores case. Exit status 0 if a
// line was selected, 1 if none, 2 if a file could not be opened (even when another matched), as
// busybox returns; "grep: FILE: <strerror>" for such a file (a directory reads as empty: no
// message, no match). Checked against tests/fixtures/real-kernel/devices-grep.txt.
// Simplifies: a modelled tool, labelled as such: /proc and /sys files are read from the model's
// tree (fs-tree.ts) without system calls, while a device node is read through real
// openat/read/close system calls from ring 3 (as cat does); no standard input (the shell has no
// pipes); no -r, -o, -m, -A/-B/-C, -e or -f; the regular expression is translated to a
// JavaScript one, which matches like glibc's for these constructs (leftmost match, no
// back-references).
import type { Kernel } from './kernel';
import { lookup, readFile } from './fs-tree';
import { catTool } from './user-tools';
import { strerror } from './loader/errno';

export interface GrepResult {
  status: number;
  stdout: string[];
  stderr: string[];
}

/** busybox's usage text for `grep` with no pattern (status 2). */
const USAGE = `BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.

Usage: grep [-HhnlLoqvsrRiwFEz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...

Search for PATTERN in FILEs (or stdin)

\t-H\tAdd 'filename:' prefix
\t-h\tDo not add 'filename:' prefix
\t-n\tAdd 'line_no:' prefix
\t-l\tShow only names of files that match
\t-L\tShow only names of files that don't match
\t-c\tShow only count of matching lines
\t-o\tShow only the matching part of line
\t-q\tQuiet. Return 0 if PATTERN is found, 1 otherwise
\t-v\tSelect non-matching lines
\t-s\tSuppress open and read errors
\t-r\tRecurse
\t-R\tRecurse and dereference symlinks
\t-i\tIgnore case
\t-w\tMatch whole words only
\t-x\tMatch whole lines only
\t-F\tPATTERN is a literal (not regexp)
\t-E\tPATTERN is an extended regexp
\t-z\tNUL terminated input
\t-m N\tMatch up to N times per file
\t-A N\tPrint N lines of trailing context
\t-B N\tPrint N lines of leading context
\t-C N\tSame as '-A N -B N'
\t-e PTRN\tPattern to match
\t-f FILE\tRead pattern from file`.split('\n');

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: '0-9A-Za-z', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f', print: ' -~', graph: '!-~', cntrl: '\\x00-\\x1f\\x7f',
};

/** A bracket expression from `i` (at "["): its JavaScript form and where it ends. */
function bracket(p: string, i: number): { js: string; end: number } {
  let j = i + 1;
  let js = '[';
  if (p[j] === '^') (js += '^'), j++;
  if (p[j] === ']') (js += '\\]'), j++;
  for (; j < p.length && p[j] !== ']'; j++) {
    const cls = /^\[:([a-z]+):\]/.exec(p.slice(j));
    if (cls && POSIX_CLASSES[cls[1]!]) {
      js += POSIX_CLASSES[cls[1]!];
      j += cls[0].length - 1;
    } else js += p[j] === '\\' || p[j] === '[' ? '\\' + p[j] : p[j];
  }
  if (j >= p.length) throw new SyntaxError('Unmatched [, [^, [:, [., or [=');
  return { js: js + ']', end: j };
}

/** regcomp() of a basic (or, with `extended`, an extended) regular expression, as a JavaScript source. */
export function posixToJs(p: string, extended: boolean): string {
  let js = '';
  let atStart = true; // where a BRE "*" is an ordinary character
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    const wasStart = atStart;
    atStart = false;
    if (c === '[') {
      const b = bracket(p, i);
      js += b.js;
      i = b.end;
    } else if (c === '\\' && i + 1 < p.length) {
      const n = p[++i]!;
      if (!extended && '(){}|+?'.includes(n)) {
        js += n;
        atStart = n === '(' || n === '|';
      } else js += /[A-Za-z]/.test(n) && !'wWsSbB'.includes(n) ? n : '\\' + n; // \1…\9: back-references
    } else if (c === '*') js += wasStart ? '\\*' : '*';
    else if (c === '^') {
      js += extended || wasStart ? '^' : '\\^';
      atStart = true;
    } else if (c === '$') js += extended || i === p.length - 1 || p.slice(i + 1, i + 3) === '\\)' ? '$' : '\\$';
    else if (!extended && '(){}|+?'.includes(c)) js += '\\' + c;
    else {
      js += c === '/' ? '\\/' : c;
      if (extended && (c === '(' || c === '|')) atStart = true;
    }
  }
  return js;
}

const escapeFixed = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export function grepTool(k: Kernel, args: string[]): GrepResult {
  const opts = new Set<string>();
  const rest: string[] = [];
  for (const a of args) {
    if (rest.length === 0 && a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        if (!'icvwxqsnhHlFE'.includes(c)) return { status: 2, stdout: [], stderr: [`grep: invalid option -- '${c}'`, ...USAGE] };
        opts.add(c);
      }
    } else rest.push(a);
  }
  const [pattern, ...files] = rest;
  if (pattern === undefined) {
    k.nextPid++;
    return { status: 2, stdout: [], stderr: USAGE };
  }
  if (files.length === 0) {
    k.nextPid++;
    return { status: 2, stdout: [], stderr: ['grep: reading standard input is not modelled (the shell has no pipes)'] };
  }
  let source: string;
  try {
    source = opts.has('F') ? escapeFixed(pattern) : posixToJs(pattern, opts.has('E'));
  } catch (e) {
    k.nextPid++;
    return { status: 2, stdout: [], stderr: [`grep: ${(e as Error).message}`] };
  }
  if (opts.has('x')) source = `^(?:${source})$`;
  else if (opts.has('w')) source = `(?<![A-Za-z0-9_])(?:${source})(?![A-Za-z0-9_])`;
  const re = new RegExp(source, opts.has('i') ? 'i' : '');
  const prefix = (files.length > 1 || opts.has('H')) && !opts.has('h');
  const out: string[] = [], err: string[] = [];
  let matched = false, openErrors = false;
  let readByCat = false;
  for (const f of files) {
    const lines = readLines(k, f);
    if (lines.read) readByCat = true;
    if (typeof lines.text === 'string') {
      openErrors = true;
      if (!opts.has('s')) err.push(`grep: ${f}: ${lines.text}`);
      continue;
    }
    const numbered = lines.text.map((l, i) => ({ l, n: i + 1 })).filter(({ l }) => re.test(l) !== opts.has('v'));
    const selected = numbered.map(({ l }) => l);
    if (selected.length) matched = true;
    if (opts.has('q')) {
      if (matched) break;
      continue;
    }
    if (opts.has('l')) {
      if (selected.length) out.push(f);
    } else if (opts.has('c')) out.push(prefix ? `${f}:${selected.length}` : String(selected.length));
    else for (const { l, n } of numbered) out.push(`${prefix ? `${f}:` : ''}${opts.has('n') ? `${n}:` : ''}${l}`);
  }
  if (!readByCat) k.nextPid++; // grep is one process (catTool counted it when it read a device)
  if (opts.has('q') && matched) return { status: 0, stdout: [], stderr: err };
  return { status: openErrors ? 2 : matched ? 0 : 1, stdout: out, stderr: err };
}

/** A file's lines: from the model's tree, or through the VFS for a device node; or the error text. */
function readLines(k: Kernel, path: string): { text: string[] | string; read?: boolean } {
  const r = lookup(k, path);
  if (!('errno' in r) && !('notModelled' in r) && r.inode.kind === 'chr') {
    const c = catTool(k, path, 'grep');
    if (c.status !== 0) return { text: c.stderr[0]?.replace(/^grep: can't open '[^']*': /, '') ?? 'read error', read: true };
    return { text: c.stdout === '' ? [] : c.stdout.replace(/\n$/, '').split('\n'), read: true };
  }
  const f = readFile(k, path);
  if (typeof f === 'number') return { text: f === -21 ? [] : strerror(f) }; // EISDIR: the read fails quietly
  if (f === 'not modelled') return { text: 'reading this file is not modelled' };
  if (!Array.isArray(f)) return { text: `${f.notModelled} is not modelled` };
  return { text: f };
}
