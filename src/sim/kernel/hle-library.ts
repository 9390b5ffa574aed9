// Models: the kernel functions the book's drivers call, emulated in TypeScript; each names the
// Linux 6.1 source it stands for. Only what the samples use; any other export stops the machine
// with "not modelled" when called.
// Simplifies: see each body.
import type { Kernel } from './kernel';
import type { HleBody } from './hle';
import { formatPrintk } from './printk';
import { RAX } from '../cpu/state';

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
    // With ftrace the call sites are patched to NOPs at load (ftrace_module_init); an unpatched
    // call returns at once, as the ftrace trampoline does when nothing is traced.
    __fentry__: { source: 'arch/x86/kernel/ftrace_64.S', body: ({ m }) => m.get64(RAX) },
    // `jmp __x86_return_thunk` ends a function: returning from here returns from the function, RAX kept.
    __x86_return_thunk: { source: 'arch/x86/lib/retpoline.S', body: ({ m }) => m.get64(RAX) },
  };
}
