// Models: kmod 30's modprobe and the libkmod calls it and udev's kmod builtin share, modelled user
// space (tools/modprobe.c; libkmod/libkmod-module.c kmod_module_new_from_lookup,
// kmod_module_probe_insert_module, kmod_module_get_initstate; libkmod-util.c alias_normalize):
// a name is normalised ('-' → '_'), then looked up as a module name in modules.dep, as
// "symbol:…" in modules.symbols, then against the patterns of modules.alias (fnmatch); the
// module's dependencies (modules.dep, kept in reverse as kmod_module_parse_depline prepends them)
// are inserted first, each with finit_module() through a real `syscall` in ring 3; a module
// already live is skipped quietly (--first-time: "Module already in kernel"). modprobe -r removes
// the module (refusing one in use: "Module %s is in use.") with delete_module(O_NONBLOCK), then
// every dependency whose refcnt fell to 0. Messages and exit status are kmod's: "modprobe: FATAL:
// Module %s not found in directory %s", "could not insert '%s': …", -q silences them.
// Simplifies: no modprobe.d configuration (options, install/remove commands, blacklists,
// softdeps), no built-in modules (there is no modules.builtin), no -a, -D, -c, --show-exports,
// --wait or --remove-holders; it reads the text indexes (modules.dep, modules.alias,
// modules.symbols) where libkmod reads their .bin twins, which hold the same lines; a modprobe
// process is one PID whatever it loads.
import type { Kernel } from './kernel';
import { modulesDir, modulesText } from './modules-dir';
import { pathToModname } from './kmod-depmod';
import { sysModule } from './loader/module-sysfs';
import { strerror } from './loader/errno';
import { deleteModuleFromUser, finitModuleFromUser, type ToolResult } from './user-tools';

const ENOENT = -2, EEXIST = -17, EBUSY = -16;

/** A module as libkmod knows it after a lookup. */
export interface KmodModule {
  name: string;
  /** Path relative to the modules directory (from modules.dep), if known. */
  relpath?: string;
  /** Its dependencies' paths in libkmod's order (the reverse of the modules.dep line). */
  deps: string[];
  /** The alias it was found by, if any. */
  alias?: string;
}

/** alias_normalize(): '-' becomes '_' outside [...] ranges. */
export function aliasNormalize(alias: string): string {
  let out = '', inBracket = false;
  for (const c of alias) {
    if (c === '[') inBracket = true;
    else if (c === ']') inBracket = false;
    out += c === '-' && !inBracket ? '_' : c;
  }
  return out;
}

/** fnmatch(pattern, string, 0) for the patterns file2alias writes: *, ? and [...] sets. */
export function fnmatch(pattern: string, text: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let set = pattern.slice(i + 1, end);
        if (set.startsWith('!')) set = '^' + set.slice(1);
        re += `[${set.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(re + '$', 's').test(text);
}

function depLine(k: Kernel, modname: string): KmodModule | undefined {
  for (const line of (modulesText(k, 'modules.dep') ?? '').split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const relpath = line.slice(0, colon);
    if (pathToModname(relpath) !== modname) continue;
    const deps = line.slice(colon + 1).split(/[ \t]+/).filter(Boolean).reverse(); // kmod_list_prepend()
    return { name: modname, relpath, deps };
  }
  return undefined;
}

function fromName(k: Kernel, modname: string, alias?: string): KmodModule {
  return { ...(depLine(k, modname) ?? { name: modname, deps: [] }), ...(alias ? { alias } : {}) };
}

/** kmod_module_new_from_lookup(): config (none), modules.dep, modules.symbols, modules.alias, built-ins (none). */
export function kmodLookup(k: Kernel, given: string): KmodModule[] {
  const name = aliasNormalize(given);
  if (!name.includes(':')) {
    const m = depLine(k, name);
    if (m) return [m];
  }
  const fromIndex = (file: string, prefix: string) => {
    const found: KmodModule[] = [];
    for (const line of (modulesText(k, file) ?? '').split('\n')) {
      const w = /^alias\s+(\S+)\s+(\S+)$/.exec(line);
      if (!w || !w[1]!.startsWith(prefix)) continue;
      if (!fnmatch(aliasNormalize(w[1]!), name) || found.some((f) => f.name === w[2])) continue;
      found.push(fromName(k, w[2]!, name));
    }
    return found;
  };
  if (name.startsWith('symbol:')) {
    const s = fromIndex('modules.symbols', 'symbol:');
    if (s.length) return s;
  }
  return fromIndex('modules.alias', '');
}

/** kmod_module_get_initstate(): /sys/module/<name>/initstate, or -ENOENT. */
function initstate(k: Kernel, name: string): string | undefined {
  return sysModule(k, name)?.['initstate'];
}

/** module_is_inkernel(): live or coming (built-ins do not exist here). */
function inKernel(k: Kernel, name: string): boolean {
  const s = initstate(k, name);
  return s === 'live' || s === 'coming';
}

export interface ProbeOptions {
  /** The process that makes the system calls: "modprobe", "(udev-worker)" … */
  comm: string;
  firstTime?: boolean;
  dryRun?: boolean;
  /** Options for the module itself (modprobe NAME opt=val). */
  options?: string;
  /** Called before each insertion with the file's path (modprobe -v / -n print "insmod PATH OPTIONS"). */
  show?: (path: string, options: string) => void;
}

/**
 * kmod_module_probe_insert_module(): its dependencies first, then the module; a live one is
 * skipped. 0, -EEXIST (already in, with --first-time), or the first failure's -errno.
 */
export function probeInsertModule(k: Kernel, mod: KmodModule, o: ProbeOptions): number {
  if (inKernel(k, mod.name)) return o.firstTime ? EEXIST : 0;
  const dir = modulesDir(k);
  const list: { name: string; relpath: string | undefined }[] = [];
  const visit = (m: KmodModule, seen: Set<string>) => {
    if (seen.has(m.name)) return;
    seen.add(m.name);
    for (const d of m.deps) {
      const dep = fromName(k, pathToModname(d));
      visit({ ...dep, deps: [] }, seen); // __kmod_module_get_probe_list(): the dependency list is already complete
    }
    list.push({ name: m.name, relpath: m.relpath });
  };
  visit(mod, new Set());
  let err = 0;
  for (const m of list) {
    if (inKernel(k, m.name)) {
      err = EEXIST;
    } else {
      const options = m.name === mod.name ? (o.options ?? '') : '';
      if (!m.relpath) err = ENOENT; // "could not find module by name"
      else {
        o.show?.(`${dir.dirname}/${m.relpath}`, options);
        const file = dir.files.get(m.relpath);
        if (o.dryRun) err = 0;
        else if (!(file instanceof Uint8Array)) err = ENOENT;
        else {
          k.m.emit({ kind: 'user/modelled', program: o.comm, text: `finit_module() of ${dir.dirname}/${m.relpath}${options ? ` with "${options}"` : ''}` });
          const r = finitModuleFromUser(k, o.comm, file, options);
          err = typeof r === 'string' ? -5 : r;
        }
      }
    }
    if (err === EEXIST && m.name === mod.name && o.firstTime) break;
    if (err === EEXIST) err = 0;
    else if (err < 0) break;
  }
  return err;
}

/** modprobe [-r] [-q] [-b] [-n] [-v] [--first-time] [--] NAME [options]: what it prints and its exit status. */
export function modprobeTool(k: Kernel, argv: readonly string[]): ToolResult & { stdout: string } {
  k.nextPid++;
  let remove = false, quiet = false, firstTime = false, dryRun = false, verbose = false;
  const args: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { i++; break; }
    if (a === '-r' || a === '--remove') remove = true;
    else if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '-b' || a === '--use-blacklist') { /* no blacklist is configured */ }
    else if (a === '--first-time') firstTime = true;
    else if (a === '-n' || a === '--dry-run' || a === '--show') dryRun = true;
    else if (a === '-v' || a === '--verbose') verbose = true;
    else if (a.startsWith('-')) return { status: 1, stderr: [`modprobe: ERROR: the model of modprobe does not take ${a}`], stdout: '' };
    else args.push(a);
  }
  args.push(...argv.slice(i));
  const stderr: string[] = [];
  let stdout = '';
  const log = (prio: 'FATAL' | 'ERROR', text: string) => { if (!quiet) stderr.push(`modprobe: ${prio}: ${text}`); };
  const done = (err: number) => ({ status: err >= 0 ? 0 : 1, stderr, stdout });
  if (args.length === 0) {
    log('ERROR', 'missing parameters. See -h.');
    return done(-1);
  }
  const dirname = modulesDir(k).dirname;
  if (remove) {
    let err = 0;
    for (const name of args) {
      const list = kmodLookup(k, name);
      k.m.emit({ kind: 'user/modelled', program: 'modprobe', text: lookupText(name, list) });
      if (!list.length) {
        log('FATAL', `Module ${name} not found.`);
        err = ENOENT;
      }
      for (const mod of list) {
        err = rmmodDoModule(k, mod, { firstTime, dryRun, log, show: verbose || dryRun ? (t) => (stdout += t + '\n') : undefined });
        if (err < 0) break;
      }
    }
    return done(err);
  }
  const [name, ...opts] = args;
  const list = kmodLookup(k, name!);
  k.m.emit({ kind: 'user/modelled', program: 'modprobe', text: lookupText(name!, list) });
  if (!list.length) {
    log('FATAL', `Module ${name} not found in directory ${dirname}`);
    return done(ENOENT);
  }
  let err = 0;
  for (const mod of list) {
    err = probeInsertModule(k, mod, { comm: 'modprobe', firstTime, dryRun, options: opts.join(' '), show: verbose || dryRun ? (p, o) => (stdout += `insmod ${p} ${o}\n`) : undefined });
    if (err >= 0) err = 0;
    else if (err === EEXIST) log('ERROR', `could not insert '${mod.name}': Module already in kernel`);
    else if (err === ENOENT) log('ERROR', `could not insert '${mod.name}': Unknown symbol in module, or unknown parameter (see dmesg)`);
    else log('ERROR', `could not insert '${mod.name}': ${strerror(err)}`);
  }
  return done(err);
}

const lookupText = (name: string, list: KmodModule[]) =>
  list.length ? `"${name}" is ${list.map((m) => m.name + (m.relpath ? ` (${m.relpath}${m.deps.length ? `, after ${m.deps.join(', ')}` : ''})` : '')).join(', ')}` : `no module matches "${name}"`;

/** rmmod_do_module(): not loaded → nothing (or --first-time's line); in use → refused; then unused dependencies. */
function rmmodDoModule(k: Kernel, mod: KmodModule, o: { firstTime: boolean; dryRun: boolean; log: (p: 'FATAL' | 'ERROR', t: string) => void; show?: (t: string) => void }): number {
  if (initstate(k, mod.name) === undefined) {
    if (o.firstTime) {
      o.log('FATAL', `Module ${mod.name} is not in kernel.`);
      return ENOENT;
    }
    return 0;
  }
  if (Number(sysModule(k, mod.name)!['refcnt']) > 0) {
    o.log('FATAL', `Module ${mod.name} is in use.`);
    return EBUSY;
  }
  const err = removeModule(k, mod.name, o);
  if (err < 0) return err;
  // 4. Other modules that became unused: errors are non-fatal.
  for (const d of mod.deps) {
    const dep = pathToModname(d);
    if (sysModule(k, dep)?.['refcnt'] === '0') removeModule(k, dep, o);
  }
  return 0;
}

/** rmmod_do_remove_module() → kmod_module_remove_module(): delete_module(name, O_NONBLOCK). */
function removeModule(k: Kernel, name: string, o: { dryRun: boolean; log: (p: 'FATAL' | 'ERROR', t: string) => void; show?: (t: string) => void }): number {
  o.show?.(`rmmod ${name}`);
  if (o.dryRun) return 0;
  k.m.emit({ kind: 'user/modelled', program: 'modprobe', text: `delete_module("${name}", O_NONBLOCK)` });
  const r = deleteModuleFromUser(k, 'modprobe', name);
  const err = typeof r === 'string' ? -5 : r;
  if (err < 0) o.log('ERROR', `could not remove '${name}': ${strerror(err)}`);
  return err;
}
