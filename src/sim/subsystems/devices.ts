// Models: nothing new — the "devices" subsystem: the device-model calls a driver makes,
// misc_register()/misc_deregister() (drivers/char/misc.c), __class_create()/class_destroy()
// (drivers/base/class.c) and device_create()/device_destroy() (drivers/base/core.c), in
// kernel/hle-devices.ts, as one object the kernel is handed (subsystems.ts). Registered at boot
// under their names (kernel/hle-lazy.ts); a run whose code never calls them never needs it.
// Simplifies: nothing; see the file it gathers.
import { deviceBodies } from '../kernel/hle-devices';

export const devices = { deviceBodies };
