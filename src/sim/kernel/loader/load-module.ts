// Models: load_module() and do_init_module() of Linux 6.1 (kernel/module/main.c), stage by stage in
// the kernel's order and with its names (see ../../../../../shared/reference: §H of the facts):
// module_sig_check → elf_validity_check → setup_load_info → blacklisted → rewrite_section_headers
// → check_modstruct_version → layout_and_allocate (check_modinfo, layout_sections, move_module)
// → add_unformed_module → the unsigned-module taint → find_module_sections → simplify_symbols →
// apply_relocations → post_relocation (module_finalize) → ftrace_module_init → complete_formation
// → parse_args → do_init_module, whose call of mod->init runs the module's real code in ring 0.
// Simplifies: no sysfs, kallsyms copy, per-CPU sections, dynamic debug or livepatch; module
// parameters are parsed but not yet written into the module (issue 5); memory of a failed load
// stays allocated (free_module's unmapping is not modelled).
import type { Kernel } from '../kernel';
import type { GuestCall, HleResult } from '../hle';
import type { U64 } from '../../cpu/state';
import { split } from '../layout';
import { EEXIST, ENOEXEC, ENOMEM } from './errno';
import { elfValidityCheck, fail, isFailure, moduleSigCheck, setupLoadInfo, type Failure, type LoadFlags, type LoadInfo } from './load-info';
import { layoutSections, moveModule } from './layout';
import type { LoadedModule } from './module';
import { applyRelocations, applyReturns, smpUnlock, ftraceModuleInit, unmodelledPatchSections, unwindModuleInit } from './patching';
import { TAINT, TAINT_LETTERS, checkModstructVersion, simplifySymbols, type Linking } from './symbols';
import { readModuleExports } from './exports';
import { parseArgs } from './params';
import { addKallsyms } from './kallsyms';
import { moduleUevent } from '../module-kobject';
import { doOneInitcall } from '../do-one-initcall';
import { subsystem } from '../subsystems';
import { symbolEvents } from './symbol-events';

const MAIN = 'kernel/module/main.c';
const GPL_COMPATIBLE = new Set(['GPL', 'GPL v2', 'GPL and additional rights', 'Dual BSD/GPL', 'Dual MIT/GPL', 'Dual MPL/GPL']);

export interface LoadRequest {
  file: Uint8Array;
  /** The parameter string insmod passes ("count=3"). */
  args: string;
  flags: LoadFlags;
}

/** The whole load as a generator: it yields one guest call, mod->init, and returns 0 or -errno. */
export function* loadModule(k: Kernel, req: LoadRequest): Generator<GuestCall, HleResult, U64> {
  const result = prepare(k, req);
  if (isFailure(result)) return result.errno;
  const mod = result;
  return yield* doInitModule(k, mod);
}

function stage(k: Kernel, name: string, source: string, outcome: Failure | undefined, detail = '') {
  k.m.emit({ kind: 'loader/stage-finished', stage: name, source, ok: !outcome, ...(outcome ? { errno: outcome.errno } : {}), detail });
  for (const line of outcome?.log ?? []) k.printk(outcome!.errno === -129 || line.startsWith('Lockdown') ? 5 : 3, line);
  return outcome;
}


/** add_taint_module() → add_taint() (kernel/panic.c): P and F make lockdep unreliable, which it says once. */
function taint(k: Kernel, mod: { taints: string[] }, bit: number) {
  const lockdepUnreliable = bit === TAINT.PROPRIETARY_MODULE || bit === TAINT.FORCED_MODULE;
  if (lockdepUnreliable && !k.once.has('debug_locks_off')) {
    k.once.add('debug_locks_off');
    k.printk(4, 'Disabling lock debugging due to kernel taint');
  }
  k.taint |= 1 << bit;
  const letter = TAINT_LETTERS[bit]!;
  if (!mod.taints.includes(letter)) mod.taints.push(letter);
}

/** Everything before the module's own code runs. Returns the formed module, or the failure. */
function prepare(k: Kernel, req: LoadRequest): LoadedModule | Failure {
  const sig = moduleSigCheck(req.file, req.flags, (s, keyring) => subsystem(k, 'signatures', 'module_sig_check (a signed module)').verifyModuleSignature(s, keyring));
  if (isFailure(sig)) return stage(k, 'module_sig_check', 'kernel/module/signing.c', sig)!;
  stage(k, 'module_sig_check', 'kernel/module/signing.c', undefined, sig.sigOk ? 'signature verified with a key in the emulated built-in keyring' : 'no valid signature: allowed, since signatures are not enforced');

  const elf = elfValidityCheck(sig.image);
  if (isFailure(elf)) return stage(k, 'elf_validity_check', MAIN, elf)!; // 6.1.192 adds no second line (see the oracle)
  stage(k, 'elf_validity_check', MAIN, undefined);

  const info = setupLoadInfo(elf, sig.image, sig.sigOk, req.flags);
  if (isFailure(info)) return stage(k, 'setup_load_info', MAIN, info)!;
  stage(k, 'setup_load_info', MAIN, undefined, info.name);

  stage(k, 'blacklisted', MAIN, undefined, 'no module_blacklist= on the command line');
  stage(k, 'rewrite_section_headers', MAIN, undefined, '.modinfo and __versions will not be loaded');

  const warned = new Set<string>();
  const link: Linking = { log: [], taints: [] };
  const modstructOk = checkModstructVersion(k, info, link, warned);
  if (!modstructOk) return stage(k, 'check_modstruct_version', 'kernel/module/version.c', fail(ENOEXEC, ...link.log))!;
  for (const line of link.log) k.printk(4, line);
  link.log.length = 0;
  stage(k, 'check_modstruct_version', 'kernel/module/version.c', undefined, 'module_layout CRC matches');

  const mod: LoadedModule = {
    name: info.name, state: 'MODULE_STATE_UNFORMED', address: 0n,
    core_layout: { base: 0n, size: 0, text_size: 0, ro_size: 0, ro_after_init_size: 0 },
    init_layout: { base: 0n, size: 0, text_size: 0, ro_size: 0, ro_after_init_size: 0 },
    sections: [], license: info.modinfo.get('license') ?? 'unspecified', gplCompatible: false, taints: [], uses: [], refcnt: 1,
    init: 0n, exit: 0n, exports: [], kallsyms: [],
  };
  for (const bit of link.taints) taint(k, mod, bit);

  const checked = checkModinfo(k, info, mod, req.flags);
  if (checked) return stage(k, 'layout_and_allocate', MAIN, checked)!;
  const layout = layoutSections(info.elf.sections);
  const placed = moveModule(k, info.elf.sections, layout);
  if (!placed) return stage(k, 'layout_and_allocate', MAIN, fail(ENOMEM))!;
  Object.assign(mod, { core_layout: layout.core, init_layout: layout.init, sections: placed, kallsyms: addKallsyms(info.elf, placed) });
  if (k.m.trace) k.m.emit({ kind: 'loader/sections-placed', module: mod.name, sections: placed.map((s) => ({ name: s.name, address: split(s.address), size: s.size, init: s.init })) });
  const thisModule = placed.find((p) => p.name === '.gnu.linkonce.this_module');
  mod.address = thisModule?.address ?? 0n;
  stage(k, 'layout_and_allocate', MAIN, undefined, `core ${layout.core.size} bytes at 0x${layout.core.base.toString(16)}, init ${layout.init.size} bytes`);

  if (k.modules.has(mod.name)) return stage(k, 'add_unformed_module', MAIN, fail(EEXIST))!;
  k.modules.set(mod.name, mod);
  stage(k, 'add_unformed_module', MAIN, undefined, 'state MODULE_STATE_UNFORMED');

  if (!info.sigOk) {
    // pr_notice_once in load_module (CONFIG_MODULE_SIG)
    if (!k.once.has('unsigned')) k.printk(5, `${mod.name}: module verification failed: signature and/or required key missing - tainting kernel`);
    k.once.add('unsigned');
    taint(k, mod, TAINT.UNSIGNED_MODULE);
  }

  const unmodelled = unmodelledPatchSections(placed);
  if (unmodelled.length) return undo(k, mod, stage(k, 'find_module_sections', MAIN, fail(ENOEXEC, `${mod.name}: the model does not apply ${unmodelled.join(', ')}`))!);
  stage(k, 'find_module_sections', MAIN, undefined, placed.map((p) => p.name).join(' '));

  const linked = simplifySymbols(k, info, placed, mod.gplCompatible, link, warned);
  if (k.m.trace) for (const e of symbolEvents(k, info, mod.name, linked.results)) k.m.emit(e);
  if (linked.errno) return undo(k, mod, stage(k, 'simplify_symbols', MAIN, fail(linked.errno, ...link.log))!);
  for (const line of link.log) k.printk(4, line);
  mod.uses = linked.uses;
  for (const owner of linked.uses) k.modules.get(owner)!.refcnt++;
  stage(k, 'simplify_symbols', MAIN, undefined);

  const relocated = applyRelocations(k, info, placed, linked.results, ({ section, offset, symbol, outcome: o }) => {
    k.m.emit({
      kind: 'loader/reloc-applied', module: mod.name, section, offset, type: o.typeName, formula: o.formula, symbol,
      S: split(o.symbol), A: split(BigInt.asUintN(64, o.addend)), P: split(o.place), value: split(o.value), before: o.before, after: o.after, ok: o.ok,
    });
  });
  if (relocated.errno) return undo(k, mod, stage(k, 'apply_relocations', 'arch/x86/kernel/module.c', fail(relocated.errno, ...relocated.log))!);
  stage(k, 'apply_relocations', 'arch/x86/kernel/module.c', undefined);

  mod.exports = readModuleExports(k, placed);
  for (const p of applyReturns(k, placed)) k.m.emit({ kind: 'loader/code-patched', module: mod.name, why: p.why, address: split(p.address), before: p.before, after: p.after });
  const unlocked = smpUnlock(k, placed);
  for (const p of unlocked) k.m.emit({ kind: 'loader/code-patched', module: mod.name, why: p.why, address: split(p.address), before: p.before, after: p.after });
  const orcSorted = unwindModuleInit(k, placed);
  stage(k, 'post_relocation', 'arch/x86/kernel/module.c', undefined, `module_finalize: return-thunk sites become ret${unlocked.length ? '; lock prefixes become ds (one CPU)' : ''}${orcSorted ? '; ORC unwind tables sorted' : ''}`);
  for (const p of ftraceModuleInit(k, placed)) k.m.emit({ kind: 'loader/code-patched', module: mod.name, why: p.why, address: split(p.address), before: p.before, after: p.after });
  stage(k, 'ftrace_module_init', 'kernel/trace/ftrace.c', undefined, '__fentry__ calls become NOPs');

  // complete_formation() → verify_exported_symbols(): "exports duplicate symbol %s (owned by %s)".
  for (const e of mod.exports) {
    const owner = k.symbols.get(e.name);
    if (owner) return undo(k, mod, stage(k, 'complete_formation', MAIN, fail(ENOEXEC, `${mod.name}: exports duplicate symbol ${e.name} (owned by ${owner.owner})`))!);
  }
  for (const e of mod.exports) k.symbols.set(e.name, { name: e.name, crc: e.crc, gpl: e.gpl, namespace: '', address: e.address, owner: mod.name, kind: 'function' });
  protect(k, mod);
  mod.state = 'MODULE_STATE_COMING';
  stage(k, 'complete_formation', MAIN, undefined, 'text read-only and executable, data not executable; state MODULE_STATE_COMING');

  const params = parseArgs(k, mod.name, req.args, placed);
  if (params.errno) return undo(k, mod, stage(k, 'parse_args', 'kernel/params.c', fail(params.errno, ...params.log))!);
  for (const line of params.log) k.printk(4, line);
  stage(k, 'parse_args', 'kernel/params.c', undefined, params.set.length ? `set ${params.set.join(' ')}` : 'no parameters set');
  const fields = (name: string) => BigInt(k.layout['module']?.fields[name] ?? 0);
  mod.init = k.read64(mod.address + fields('init')) ?? 0n;
  mod.exit = k.read64(mod.address + fields('exit')) ?? 0n;
  return mod;
}

/** check_modinfo(): vermagic via same_magic(), out-of-tree, staging, licence. */
function checkModinfo(k: Kernel, info: LoadInfo, mod: LoadedModule, flags: LoadFlags): Failure | undefined {
  const modmagic = flags.ignoreVermagic ? undefined : info.modinfo.get('vermagic');
  const hasCrcs = info.versions !== null;
  const rest = (s: string) => (hasCrcs ? s.slice(s.indexOf(' ') < 0 ? s.length : s.indexOf(' ')) : s);
  if (modmagic === undefined) {
    if (!(k.taint & (1 << TAINT.FORCED_MODULE))) k.printk(4, `${mod.name}: bad vermagic: kernel tainted.`);
    taint(k, mod, TAINT.FORCED_MODULE);
  } else if (rest(modmagic) !== rest(k.vermagic)) {
    return fail(ENOEXEC, `${info.name}: version magic '${modmagic}' should be '${k.vermagic}'`);
  }
  if (!info.modinfo.get('intree')) {
    if (!(k.taint & (1 << TAINT.OOT_MODULE))) k.printk(4, `${mod.name}: loading out-of-tree module taints kernel.`);
    taint(k, mod, TAINT.OOT_MODULE);
  }
  // check_modinfo(): each line below is 6.1's (pr_warn in kernel/module/main.c).
  if (info.modinfo.get('staging')) {
    taint(k, mod, TAINT.CRAP);
    k.printk(4, `${mod.name}: module is from the staging directory, the quality is unknown, you have been warned.`);
  }
  mod.gplCompatible = GPL_COMPATIBLE.has(mod.license);
  if (!mod.gplCompatible) {
    if (!(k.taint & (1 << TAINT.PROPRIETARY_MODULE))) k.printk(4, `${mod.name}: module license '${mod.license}' taints kernel.`);
    taint(k, mod, TAINT.PROPRIETARY_MODULE);
  }
  return undefined;
}

/** module_enable_ro() and module_enable_nx(): text RX, read-only data R, the rest RW and NX. */
function protect(k: Kernel, mod: LoadedModule) {
  for (const l of [mod.core_layout, mod.init_layout]) {
    for (let off = 0; off < l.size; off += 4096) {
      const text = off < l.text_size, ro = off < l.ro_size;
      const v = split(l.base + BigInt(off));
      k.tables.protect(v.lo, v.hi, { writable: !ro, executable: text });
      k.m.mmu.invalidate(v.lo, v.hi);
      k.pagesChanged('protect', l.base + BigInt(off), 1, { user: false, writable: !ro, executable: text }, 'module_enable_ro/module_enable_nx');
    }
  }
}

function undo(k: Kernel, mod: LoadedModule, f: Failure): Failure {
  k.modules.delete(mod.name);
  freeModuleMemory(k, mod);
  for (const owner of mod.uses) k.modules.get(owner)!.refcnt--;
  return f;
}

/** free_module()'s module_memfree() of both areas. */
export function freeModuleMemory(k: Kernel, mod: LoadedModule) {
  for (const l of [mod.core_layout, mod.init_layout]) if (l.size) k.moduleFree(l.base);
}

/** do_init_module(): run mod->init in ring 0; on success the module goes LIVE and its init memory is freed. */
function* doInitModule(k: Kernel, mod: LoadedModule): Generator<GuestCall, HleResult, U64> {
  let ret = 0;
  if (mod.init) {
    k.m.emit({ kind: 'loader/init-called', module: mod.name, address: split(mod.init) });
    // do_one_initcall(mod->init); current is the loading process (the modelled tools take their
    // PID with k.nextPid++ before they enter the kernel).
    ret = yield* doOneInitcall(k, mod.init, k.process?.pid ?? k.nextPid - 1);
  }
  if (ret < 0) {
    mod.state = 'MODULE_STATE_GOING';
    undo(k, mod, fail(ret));
    stage(k, 'do_init_module', MAIN, fail(ret), `init returned ${ret}`);
    return ret;
  }
  if (ret > 0) {
    k.printk(4, `do_init_module: '${mod.name}'->init suspiciously returned ${ret}, it should follow 0/-E convention`);
    k.printk(4, 'do_init_module: loading module anyway...');
  }
  mod.state = 'MODULE_STATE_LIVE';
  moduleUevent(k, mod.name, 'add'); // kobject_uevent(&mod->mkobj.kobj, KOBJ_ADD)
  mod.refcnt--; // module_put(): drop the initial reference
  mod.sections = mod.sections.filter((s) => !s.init);
  mod.kallsyms = [mod.kallsyms[0]!, ...mod.kallsyms.filter((s) => s.core)]; // the core copy: init symbols go with init
  if (mod.init_layout.size) k.moduleFree(mod.init_layout.base);
  mod.init_layout = { ...mod.init_layout, base: 0n, size: 0 };
  stage(k, 'do_init_module', MAIN, undefined, 'state MODULE_STATE_LIVE; init sections freed');
  return 0;
}

