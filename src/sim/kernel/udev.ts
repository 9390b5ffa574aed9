// Models: systemd-udevd 252 as Debian 12 runs it, modelled user space: it reads the kernel's
// uevents from its netlink socket in SEQNUM order and hands each to a worker ("(udev-worker)"),
// which applies the rules; of Debian's rules this model applies the one that loads drivers,
// 80-drivers.rules: ACTION!="add" → skip; ENV{MODALIAS}=="?*" → RUN{builtin}+="kmod load", whose
// builtin (src/udev/udev-builtin-kmod.c → module_load_and_warn() in src/shared/module-util.c)
// looks the MODALIAS up with libkmod and inserts each module it finds with
// KMOD_PROBE_APPLY_BLACKLIST: the worker itself calls finit_module() (no modprobe process). Its
// debug-level journal lines ("Loading module: %s", "Inserted module '%s'", "Module '%s' is
// already loaded", "Failed to find module '%s'", "Failed to insert module '%s': %m") are shown
// as events.
// Simplifies: only that rule; no device database, symlinks, permissions, RUN programs or udev
// properties of its own (devtmpfs has made the nodes already); events are handled one at a time
// when the model runs udevd, not concurrently; the worker is not a process with a PID of its own.
import type { Kernel } from './kernel';
import type { Uevent } from './device-core';
import { kmodLookup, probeInsertModule } from './kmod-modprobe';
import { sysModule } from './loader/module-sysfs';
import { strerror } from './loader/errno';

const WORKER = '(udev-worker)';

export interface UdevResult {
  /** The events handled, in order. */
  handled: Uevent[];
  /** The journal lines of the kmod builtin (debug level on a real system). */
  journal: string[];
}

/** systemd-udevd: every queued uevent, oldest first. */
export function udevd(k: Kernel): UdevResult {
  const out: UdevResult = { handled: [], journal: [] };
  while (k.uevents.length) {
    const u = k.uevents.shift()!;
    out.handled.push(u);
    const env = new Map(u.env);
    const modalias = env.get('MODALIAS') ?? '';
    const rule = u.action === 'add' && modalias !== '' ? 'kmod load' : undefined;
    k.m.emit({ kind: 'user/modelled', program: 'systemd-udevd', text: `${WORKER} takes uevent ${u.seqnum} (${u.action} ${u.devpath})${rule ? `; 80-drivers.rules: ENV{MODALIAS}=="?*" → RUN{builtin}+="kmod load"` : ''}` });
    if (rule) out.journal.push(...moduleLoadAndWarn(k, modalias));
  }
  return out;
}

/** module_load_and_warn(ctx, MODALIAS, verbose=false): look the alias up, insert what is not live. */
function moduleLoadAndWarn(k: Kernel, alias: string): string[] {
  const say = (line: string) => {
    k.m.emit({ kind: 'user/modelled', program: 'systemd-udevd', text: `${WORKER}: ${line}` });
    return line;
  };
  const lines = [say(`Loading module: ${alias}`)];
  const list = kmodLookup(k, alias);
  if (!list.length) return [...lines, say(`Failed to find module '${alias}'`)];
  for (const mod of list) {
    if (sysModule(k, mod.name)?.['initstate'] === 'live') {
      lines.push(say(`Module '${mod.name}' is already loaded`));
      continue;
    }
    const err = probeInsertModule(k, mod, { comm: WORKER });
    lines.push(say(err === 0 ? `Inserted module '${mod.name}'` : `Failed to insert module '${mod.name}': ${strerror(err)}`));
  }
  return lines;
}
