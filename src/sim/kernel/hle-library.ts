// Models: the kernel functions the book's drivers call, emulated in TypeScript; each names the
// Linux 6.1 source it stands for. Only what the samples use; any other export stops the machine
// with "not modelled" when called.
// _copy_to_user, _copy_from_user and __x86_return_thunk are not here: they are real machine code
// in the entry code (entry.ts).
// Simplifies: see each body.
import type { Kernel } from './kernel';
import type { GuestCall, HleBody } from './hle';
import type { U64 } from '../cpu/state';
import { split } from './layout';
import { formatPrintk } from './printk';
import { RAX } from '../cpu/state';
import { lazyDeviceBodies, lazyPciBodies } from './hle-lazy';
import { irqBodies } from './hle-irq';

const toBig = (v: { lo: number; hi: number }) => (BigInt(v.hi >>> 0) << 32n) | BigInt(v.lo >>> 0);

export type Bodies = Record<string, { source: string; body: HleBody }>;

/** The bodies bound to one kernel. */
export function kernelBodies(k: () => Kernel): Bodies {
  return {
    _printk: {
      source: 'kernel/printk/printk.c',
      body: ({ arg }) => {
        const kernel = k();
        let i = 1;
        const { level, text } = formatPrintk(kernel.readCString(arg(0)), () => arg(i++), (p) => kernel.readCString(p));
        kernel.printk(level, text);
        return text.length + 1;
      },
    },
    __register_chrdev: {
      source: 'fs/char_dev.c',
      // __register_chrdev(major, baseminor, count, name, fops): reserves the major (0 asks for a
      // dynamic one) and adds a cdev with these fops. It creates no struct device: no uevent, no
      // /dev node (a reader must mknod it).
      body: ({ arg }) => {
        const kernel = k();
        const major = arg(0).lo;
        const name = kernel.readCString(arg(3));
        const got = kernel.chrdevs.register(major, arg(1).lo, arg(2).lo, name, arg(4));
        if (got > 0) kernel.m.emit({ kind: 'vfs/chrdev-registered', major: got, name });
        return got;
      },
    },
    __unregister_chrdev: {
      source: 'fs/char_dev.c',
      body: ({ arg }) => {
        k().chrdevs.unregister(arg(0).lo, arg(3));
        return 0;
      },
    },
    simple_read_from_buffer: {
      source: 'fs/libfs.c',
      // (to, count, ppos, from, available): copies what is left after *ppos to user memory with
      // copy_to_user() — a call to the real _copy_to_user (entry.ts), whose stac, rep movsb and
      // clac run as machine code — and advances *ppos by what was copied; -EFAULT if nothing was.
      // (copy_to_user's check_copy_size() is left out: the buffer is the caller's own.)
      *body({ arg }): Generator<GuestCall, number, U64> {
        const kernel = k();
        const ppos = toBig(arg(2));
        const pos = BigInt.asIntN(64, kernel.read64(ppos) ?? 0n);
        const count = toBig(arg(1)), available = toBig(arg(4));
        if (pos < 0n) return -22;
        if (pos >= available || count === 0n) return 0;
        const n = count < available - pos ? count : available - pos;
        const to = arg(0), from = toBig(arg(3)) + pos;
        const left = toBig(yield { address: split(kernel.symbols.get('_copy_to_user')!.address), args: [to, split(from), split(n)] });
        if (left === n) return -14; // -EFAULT
        const copied = n - left;
        kernel.m.emit({ kind: 'kernel/user-copied', from: 'the kernel', to: kernel.currentComm, bytes: Number(copied), by: 'simple_read_from_buffer (copy_to_user)' });
        kernel.writeBytes(ppos, Array.from({ length: 8 }, (_, i) => Number(((pos + copied) >> BigInt(8 * i)) & 0xffn)));
        return Number(copied);
      },
    },
    // CONFIG_HARDENED_USERCOPY: the object is inside the module's static buffer, which it allows.
    __check_object_size: { source: 'mm/usercopy.c', body: () => 0 },
    ktime_get: {
      source: 'kernel/time/timekeeping.c',
      // CLOCK_MONOTONIC in nanoseconds, from the model's clock (1 ns per retired instruction).
      body: () => k().clockNs,
    },
    ...lazyPciBodies(k), // __pci_register_driver, pci_unregister_driver (hle-pci.ts, in the pci subsystem)
    // With ftrace the call sites are patched to NOPs at load (ftrace_module_init); an unpatched
    // call returns at once, as the ftrace trampoline does when nothing is traced.
    __fentry__: { source: 'arch/x86/kernel/ftrace_64.S', body: ({ m }) => m.get64(RAX) },
    ...lazyDeviceBodies(k), // misc_register, device_create, class_create and their undoing (hle-devices.ts, in the devices subsystem)
    ...irqBodies(k), // request_threaded_irq, free_irq (hle-irq.ts)
  };
}
