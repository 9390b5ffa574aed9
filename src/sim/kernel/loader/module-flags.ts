// Models: how Linux 6.1 shows a module's taint and state in one word (kernel/module/main.c):
// module_flags_taint() writes the letter of each taint_flags[] entry marked .module, in bit order
// (P F C O E K X T N); module_flags() puts them in parentheses and, when asked for the state,
// adds '-' for a module being unloaded and '+' for one still loading — "(OE+)" in /proc/modules
// and "Modules linked in:" for a module whose init has not finished.
// Simplifies: nothing.
import type { LoadedModule } from './module';

/** taint_flags[] letters with .module = true, in bit order (kernel/panic.c). */
const MODULE_TAINTS = ['P', 'F', 'C', 'O', 'E', 'K', 'X', 'T', 'N'];

export function moduleFlagsTaint(mod: Pick<LoadedModule, 'taints'>): string {
  return MODULE_TAINTS.filter((t) => mod.taints.includes(t)).join('');
}

export function moduleFlags(mod: Pick<LoadedModule, 'taints' | 'state'>, showState: boolean): string {
  const going = mod.state === 'MODULE_STATE_GOING', coming = mod.state === 'MODULE_STATE_COMING';
  if (!mod.taints.length && !showState) return '';
  if (!mod.taints.length && !going && !coming) return '';
  return `(${moduleFlagsTaint(mod)}${showState && going ? '-' : ''}${showState && coming ? '+' : ''})`;
}
