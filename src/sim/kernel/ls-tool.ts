// Models: busybox 1.35's `ls` (coreutils/ls.c) as the book's root shell runs it on a console:
// `ls [-1al] [PATH...]` — each argument stat'ed (lstat with -l, so a symlink shows as itself),
// errors first as "ls: PATH: <strerror>" (exit status 1), then the files among the arguments,
// then each directory's entries (with "PATH:" headers when there are several arguments, and
// "total 0" with -l), sorted with strcmp, dot files hidden without -a. Without -l the names go in
// columns down then across, as wide as the longest name plus 2, in a terminal 80 columns wide
// less one (busybox takes the width from stdin's terminal, the serial console, and goes one
// less); -l prints busybox's line: mode, links ("%4lu"), owner and group as numbers (the
// initramfs has no /etc/passwd), size or "major, minor" ("%4u, %3u"), "Mmm dd hh:mm" (UTC), the
// name and " -> target" for a symlink. Checked against the real transcripts
// (tests/fixtures/real-kernel/devices-ls.txt, miscdev-use.txt, hello-use.txt).
// Simplifies: a modelled tool, labelled as such: it reads the model's tree (fs-tree.ts) directly
// instead of through stat and getdents system calls; only -1, -a and -l (other options: "invalid
// option", without busybox's usage text); a directory the model cannot list is reported as not
// modelled.
import type { Kernel } from './kernel';
import { lookup, wallClock, S_IFMT, S_IFDIR, S_IFCHR, S_IFLNK, S_IFREG, type Inode } from './fs-tree';
import { strerror } from './loader/errno';

/** The width busybox's ls uses: the serial console reports no size, so 80, then one less. */
const TERMINAL_WIDTH = 80 - 1;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface LsResult {
  status: number;
  stdout: string[];
  stderr: string[];
}

/** bb_mode_string(): "crw-r--r--". */
export function modeString(mode: number): string {
  const type = { [S_IFDIR]: 'd', [S_IFCHR]: 'c', [S_IFLNK]: 'l', [S_IFREG]: '-' }[mode & S_IFMT] ?? '?';
  const rwx = 'rwxrwxrwx';
  return type + [...rwx].map((c, i) => (mode & (1 << (8 - i)) ? c : '-')).join('');
}

/** Seconds since 1970 as a UTC calendar date (days to civil date: the proleptic Gregorian calendar). */
export function utc(seconds: number): { month: number; day: number; hour: number; minute: number } {
  const days = Math.floor(seconds / 86400), rest = seconds - days * 86400;
  const z = days + 719468, era = Math.floor(z / 146097), doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return { month: mp < 10 ? mp + 2 : mp - 10, day: doy - Math.floor((153 * mp + 2) / 5) + 1, hour: Math.floor(rest / 3600), minute: Math.floor((rest % 3600) / 60) };
}

/** ctime()'s "Mmm dd hh:mm" for a time on the kernel clock (the guest runs in UTC). */
function timeText(ns: number): string {
  const d = utc(wallClock(ns));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.month]} ${String(d.day).padStart(2)} ${two(d.hour)}:${two(d.minute)}`;
}

/** display_single() with -l. */
function longLine(inode: Inode, name: string): string {
  const size = inode.kind === 'chr' ? `${String(inode.major).padStart(4)}, ${String(inode.minor).padStart(3)}` : String(inode.size).padStart(9);
  const line = `${modeString(inode.mode).padEnd(10)} ${String(inode.nlink).padStart(4)} ${'0'.padEnd(8)} ${'0'.padEnd(8)} ${size} ${timeText(inode.mtimeNs)} ${name}`;
  return inode.kind === 'lnk' ? `${line} -> ${inode.target}` : line;
}

/** display_files(): one per line with -l or -1, else columns filled downwards. */
function display(items: { name: string; inode: Inode }[], long: boolean, one: boolean): string[] {
  if (long) return items.map((i) => longLine(i.inode, i.name));
  if (one || items.length === 0) return items.map((i) => i.name);
  const width = Math.max(...items.map((i) => i.name.length)) + 2;
  let ncols = Math.floor(TERMINAL_WIDTH / width);
  let nrows = items.length;
  if (ncols > 1) nrows = Math.ceil(items.length / ncols);
  else ncols = 1;
  const lines: string[] = [];
  for (let row = 0; row < nrows; row++) {
    let line = '';
    for (let col = 0; col < ncols; col++) {
      const i = col * nrows + row;
      if (i >= items.length) continue;
      if (line) line = line.padEnd(col * width);
      line += items[i]!.name;
    }
    lines.push(line);
  }
  return lines;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); // strcmp

export function lsTool(k: Kernel, args: string[]): LsResult {
  k.nextPid++;
  const out: string[] = [], err: string[] = [];
  let status = 0;
  let long = false, one = false, all = false;
  const paths: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') && a.length > 1 && paths.length === 0) {
      for (const c of a.slice(1)) {
        if (c === 'l') long = true;
        else if (c === '1') one = true;
        else if (c === 'a') all = true;
        else return { status: 1, stdout: [], stderr: [`ls: invalid option -- '${c}'`] };
      }
    } else paths.push(a);
  }
  if (paths.length === 0) paths.push('.');
  const files: { name: string; inode: Inode }[] = [];
  const dirs: { name: string; inode: Inode & { kind: 'dir' }; path: string }[] = [];
  for (const p of paths) {
    const r = lookup(k, p === '.' ? '/' : p, !long);
    if ('errno' in r) {
      err.push(`ls: ${p}: ${strerror(r.errno)}`);
      status = 1;
    } else if ('notModelled' in r) {
      err.push(`ls: ${p}: not modelled (the model has /dev, /proc/{devices,modules,misc} and parts of /sys)`);
      status = 1;
    } else if (r.inode.kind === 'dir') dirs.push({ name: p, inode: r.inode, path: r.path });
    else files.push({ name: p, inode: r.inode });
  }
  out.push(...display(files.sort(byName), long, one));
  let first = files.length === 0;
  for (const d of dirs.sort(byName)) {
    const names = d.inode.entries();
    if (paths.length > 1) {
      if (!first) out.push('');
      out.push(`${d.name}:`);
    }
    first = false;
    if (!names) {
      err.push(`ls: ${d.name}: listing this directory is not modelled (the model knows only some of its entries)`);
      status = 1;
      continue;
    }
    const looked = (all ? ['.', '..', ...names] : names.filter((n) => !n.startsWith('.'))).map((name) => ({ name, r: lookup(k, `${d.path}/${name}`, false) }));
    // A name the real directory has but the model does not: listed by name, not stat'ed.
    const unknown = looked.filter((i) => !('inode' in i.r)).map((i) => i.name);
    if (long && unknown.length) {
      err.push(...unknown.map((n) => `ls: ${d.name.replace(/\/$/, '')}/${n}: not modelled (the real one exists)`));
      status = 1;
    }
    const items = looked.flatMap((i) => ('inode' in i.r ? [{ name: i.name, inode: i.r.inode }] : long ? [] : [{ name: i.name, inode: undefined as unknown as Inode }]));
    if (long) out.push('total 0'); // calculate_blocks(): no file here has blocks
    out.push(...display(items.sort(byName), long, one));
  }
  return { status, stdout: out, stderr: err };
}
