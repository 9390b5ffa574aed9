// Models: what the kernel shows of its loaded modules without the loader: /proc/modules as m_show()
// prints it (kernel/module/procfs.c) and the /sys/module/<name>/ attributes (kernel/module/sysfs.c,
// main.c). Kept apart from delete-module.ts so that the kernel core (fs-tree.ts, the modelled
// tools) reads them without bringing in the loader subsystem (subsystems/loader.ts).
// Simplifies: only the attributes kmod's rmmod and lsmod read; see delete-module.ts.
import type { Kernel } from '../kernel';
import { moduleFlags, moduleFlagsTaint } from './module-flags';

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
