// Models: a module's run-time reference count in Linux 6.1 (kernel/module/main.c): try_module_get()
// takes a reference unless the module is going (module_is_live(), atomic_inc_not_zero),
// module_put() drops one; a NULL owner (built-in code) needs none. fops_get() (include/linux/fs.h)
// is try_module_get(fops->owner), with the owner read from the driver's own file_operations at the
// probed offset. The count is what /sys/module/<m>/refcnt, /proc/modules and lsmod show
// (module_refcount() = refcnt - MODULE_REF_BASE).
// Simplifies: the count lives in the module record (LoadedModule.refcnt, already without the
// base), not in struct module's atomic_t; a pointer to no loaded module's struct module counts as
// built-in (no reference), where the real kernel would dereference it.
import type { Kernel } from './kernel';
import type { LoadedModule } from './loader/module';

/** The loaded module whose struct module is at `address` (THIS_MODULE of its code), if any. */
export function moduleAt(k: Kernel, address: bigint): LoadedModule | undefined {
  if (address === 0n) return undefined;
  for (const mod of k.modules.values()) if (mod.address === address) return mod;
  return undefined;
}

/** try_module_get(owner): false only for a module that is going; `by` names the caller for the trace. */
export function tryModuleGet(k: Kernel, owner: bigint, by: string): boolean {
  const mod = moduleAt(k, owner);
  if (!mod) return true; // NULL or built-in: nothing to pin
  if (mod.state === 'MODULE_STATE_GOING') return false;
  mod.refcnt++;
  k.m.emit({ kind: 'module/refcount', module: mod.name, refcnt: mod.refcnt, by, op: 'get' });
  return true;
}

/** module_put(owner). */
export function modulePut(k: Kernel, owner: bigint, by: string): void {
  const mod = moduleAt(k, owner);
  if (!mod) return;
  mod.refcnt--;
  k.m.emit({ kind: 'module/refcount', module: mod.name, refcnt: mod.refcnt, by, op: 'put' });
}

/** fops->owner: the first field of struct file_operations (its offset from the layout probe). */
export function fopsOwner(k: Kernel, fops: bigint): bigint {
  if (fops === 0n) return 0n;
  return k.read64(fops + BigInt(k.layout['file_operations']!.fields['owner']!)) ?? 0n;
}
