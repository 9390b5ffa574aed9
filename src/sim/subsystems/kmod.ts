// Models: nothing new — the "kmod" subsystem: __request_module() (kernel/request-module.ts), which
// starts modprobe (kernel/kmod-modprobe.ts) when an open() finds no driver for a device number.
// Simplifies: nothing; see the files it gathers.
import { chrdevBaseProbe } from '../kernel/request-module';

export const kmod = { chrdevBaseProbe };
