// Models: the uevents of a module's own kobject, /sys/module/<name>, in Linux 6.1
// (kernel/module/main.c): do_init_module() sends KOBJ_ADD once the module is live ("Delay uevent
// until module has finished its init routine"); free_module() → mod_sysfs_teardown() drops the
// kobject, whose release sends KOBJ_REMOVE because the add was sent. A module whose init failed
// never sent "add", so it sends no "remove" either.
// Simplifies: the kobject itself (and the rest of /sys/module) is not built here.
import type { Kernel } from './kernel';
import { kobjectUevent } from './device-core';

export function moduleUevent(k: Kernel, name: string, action: 'add' | 'remove'): void {
  kobjectUevent(k, action, { devpath: `/module/${name}`, subsystem: 'module', env: [] });
}
