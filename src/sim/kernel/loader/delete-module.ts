// Models: the delete_module system call of Linux 6.1 (kernel/module/main.c): the module must exist
// (-ENOENT), no other module may use it (-EWOULDBLOCK), it must be LIVE (-EBUSY), a module with an
// init but no exit cannot be removed (-EBUSY), its reference count must be zero (try_stop_module,
// -EWOULDBLOCK); then mod->exit runs as real code in ring 0 and the module is freed.
// (/proc/modules and /sys/module are in module-sysfs.ts, re-exported here.)
// The flags change nothing in 6.1 but O_TRUNC: with or without O_NONBLOCK a module in use gives
// -EWOULDBLOCK (= -EAGAIN, errno 11), as the real kernel answered the samples' delete-module
// (tests/fixtures/real-kernel/devices-hello-held.txt). A name of 0 or 56+ bytes is -ENOENT.
// Simplifies: O_TRUNC (rmmod -f) forcing is not modelled; freed module memory is not unmapped.
import type { Kernel } from '../kernel';
import type { GuestCall, HleResult } from '../hle';
import type { U64 } from '../../cpu/state';
import { split } from '../layout';
import { EBUSY, ENOENT, EWOULDBLOCK } from './errno';
import { freeModuleMemory } from './load-module';
import { noteUnloaded } from '../oops-state';
import { moduleUevent } from '../module-kobject';

export function* deleteModule(k: Kernel, name: string): Generator<GuestCall, HleResult, U64> {
  const mod = k.modules.get(name);
  const refuse = (errno: number, why: string) => {
    k.m.emit({ kind: 'loader/stage-finished', stage: 'delete_module', source: 'kernel/module/main.c', ok: false, errno, detail: why });
    return errno;
  };
  if (!mod) return refuse(ENOENT, 'no such module');
  const users = [...k.modules.values()].filter((m) => m.uses.includes(name)).map((m) => m.name);
  if (users.length) return refuse(EWOULDBLOCK, `its source_list is not empty: used by ${users.join(', ')}`);
  if (mod.state !== 'MODULE_STATE_LIVE') return refuse(EBUSY, `state ${mod.state}`);
  if (mod.init && !mod.exit) return refuse(EBUSY, 'it has an init function but no exit function');
  if (mod.refcnt !== 0) return refuse(EWOULDBLOCK, `try_stop_module: its reference count is ${mod.refcnt}, not 0`);
  mod.state = 'MODULE_STATE_GOING';
  if (mod.exit) {
    k.m.emit({ kind: 'loader/exit-called', module: mod.name, address: split(mod.exit) });
    yield { address: split(mod.exit), args: [] };
  }
  // free_module(): mod_sysfs_teardown() (its kobject's last put sends the "remove" uevent that
  // matches the "add" of do_init_module), unlink, drop the references it held, forget its exports.
  moduleUevent(k, mod.name, 'remove');
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

// /proc/modules and /sys/module/<name>/ live in module-sysfs.ts (the kernel core reads them without the loader).
export { procModules, sysModule } from './module-sysfs';
