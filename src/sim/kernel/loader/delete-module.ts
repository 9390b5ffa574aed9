// Models: the delete_module system call of Linux 6.1 (kernel/module/main.c): the module must exist
// (-ENOENT), no other module may use it (-EWOULDBLOCK), it must be LIVE (-EBUSY), a module with an
// init but no exit cannot be removed (-EBUSY), its reference count must be zero (try_stop_module,
// -EWOULDBLOCK); then mod->exit runs as real code in ring 0 and the module is freed. Also
// /proc/modules as m_show() prints it.
// Simplifies: O_TRUNC (rmmod -f) forcing is not modelled; freed module memory is not unmapped.
import type { Kernel } from '../kernel';
import type { GuestCall, HleResult } from '../hle';
import type { U64 } from '../../cpu/state';
import { split } from '../layout';
import { EBUSY, ENOENT, EWOULDBLOCK } from './errno';
import { freeModuleMemory } from './load-module';
import { moduleFlags, moduleFlagsTaint } from './module-flags';
import { noteUnloaded } from '../oops-state';

export function* deleteModule(k: Kernel, name: string): Generator<GuestCall, HleResult, U64> {
  const mod = k.modules.get(name);
  const refuse = (errno: number, why: string) => {
    k.m.emit({ kind: 'loader/stage-finished', stage: 'delete_module', source: 'kernel/module/main.c', ok: false, errno, detail: why });
    return errno;
  };
  if (!mod) return refuse(ENOENT, 'no such module');
  const users = [...k.modules.values()].filter((m) => m.uses.includes(name)).map((m) => m.name);
  if (users.length) return refuse(EWOULDBLOCK, `used by ${users.join(', ')}`);
  if (mod.state !== 'MODULE_STATE_LIVE') return refuse(EBUSY, `state ${mod.state}`);
  if (mod.init && !mod.exit) return refuse(EBUSY, 'it has an init function but no exit function');
  if (mod.refcnt !== 0) return refuse(EWOULDBLOCK, `reference count ${mod.refcnt}`);
  mod.state = 'MODULE_STATE_GOING';
  if (mod.exit) {
    k.m.emit({ kind: 'loader/init-called', module: mod.name, address: split(mod.exit) });
    yield { address: split(mod.exit), args: [] };
  }
  // free_module(): unlink, drop the references it held, forget its exports.
  for (const owner of mod.uses) {
    const o = k.modules.get(owner);
    if (o) o.refcnt--;
  }
  for (const e of mod.exports) k.symbols.delete(e.name);
  k.modules.delete(name);
  noteUnloaded(k, mod); // last_unloaded_module, for an oops's "Modules linked in:"
  freeModuleMemory(k, mod);
  k.m.emit({ kind: 'loader/stage-finished', stage: 'delete_module', source: 'kernel/module/main.c', ok: true, detail: `${name} unloaded` });
  return 0;
}

/** /proc/modules, one line per module as m_show() prints it (newest first, as the list is kept). */
export function procModules(k: Kernel): string[] {
  return [...k.modules.values()].reverse().map((mod) => {
    const users = [...k.modules.values()].filter((m) => m.uses.includes(mod.name)).map((m) => `${m.name},`);
    const unload = users.length ? users.join('') : mod.init && !mod.exit ? '[permanent],' : '-';
    const state = mod.state === 'MODULE_STATE_LIVE' ? 'Live' : mod.state === 'MODULE_STATE_COMING' ? 'Loading' : 'Unloading';
    const flags = moduleFlags(mod, true);
    const taints = flags ? ` ${flags}` : '';
    return `${mod.name} ${mod.core_layout.size + mod.init_layout.size} ${mod.refcnt} ${unload} ${state} 0x${mod.core_layout.base.toString(16).padStart(16, '0')}${taints}`;
  });
}

/**
 * /sys/module/<name>/: the attributes kmod's rmmod and lsmod read (kernel/module/sysfs.c and
 * main.c: initstate, refcnt, coresize, initsize, taint; holders/ lists the modules using it).
 */
export function sysModule(k: Kernel, name: string): Record<string, string> | undefined {
  const mod = k.modules.get(name);
  if (!mod) return undefined;
  const state = { MODULE_STATE_LIVE: 'live', MODULE_STATE_COMING: 'coming', MODULE_STATE_GOING: 'going', MODULE_STATE_UNFORMED: 'unformed' }[mod.state];
  const holders = [...k.modules.values()].filter((m) => m.uses.includes(name)).map((m) => m.name);
  return {
    coresize: String(mod.core_layout.size),
    holders: holders.join(' '),
    initsize: String(mod.init_layout.size),
    initstate: state,
    refcnt: String(mod.refcnt),
    taint: moduleFlagsTaint(mod),
  };
}
