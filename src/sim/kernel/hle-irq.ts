// Models: the interrupt API a driver calls — request_threaded_irq() (which request_irq() is, inline:
// include/linux/interrupt.h) and free_irq() (kernel/irq/manage.c) — as emulated kernel functions
// with 6.1's checks, log lines and return values. The work is in irq.ts.
// Also scnprintf() (lib/vsprintf.c), which irqcount's read uses to turn the count into text.
// Simplifies: see irq.ts (no threaded handlers, no shared lines); scnprintf knows the conversions
// of printk.ts's formatter.
import type { Kernel } from './kernel';
import { NotModelled } from '../cpu/fault';
import { formatPrintk } from './printk';
import type { Bodies } from './hle-library';
import { freeIrq, requestIrq } from './irq';
import { split } from './layout';

const big = (v: { lo: number; hi: number }) => (BigInt(v.hi >>> 0) << 32n) | BigInt(v.lo >>> 0);

export function irqBodies(k: () => Kernel): Bodies {
  return {
    request_threaded_irq: {
      source: 'kernel/irq/manage.c',
      // (irq, handler, thread_fn, irqflags, devname, dev_id) → 0 or -errno
      body: ({ arg }) => {
        const kernel = k();
        const namePointer = big(arg(4));
        return requestIrq(kernel, {
          irq: arg(0).lo, handler: big(arg(1)), threadFn: big(arg(2)), flags: arg(3).lo,
          name: namePointer ? kernel.readCString(namePointer) : '', namePointer, devId: big(arg(5)),
        });
      },
    },
    free_irq: {
      source: 'kernel/irq/manage.c',
      // (irq, dev_id) → the devname given to request_irq (const void *)
      body: ({ arg }) => split(freeIrq(k(), arg(0).lo, big(arg(1)))),
    },
    scnprintf: {
      source: 'lib/vsprintf.c',
      // (buf, size, fmt, ...): writes at most size - 1 characters and a NUL; returns how many it wrote.
      body: ({ arg }) => {
        const kernel = k();
        const format = kernel.readCString(arg(2));
        if (format.charCodeAt(0) === 1) throw new NotModelled('scnprintf with a KERN_ level prefix is not modelled');
        let i = 3;
        // A sentinel keeps formatPrintk from dropping a trailing newline, which printk does but scnprintf must not.
        const text = formatPrintk(format + '\u0002', () => arg(i++), (p) => kernel.readCString(p)).text.slice(0, -1);
        const size = arg(1).lo;
        if (size === 0) return 0;
        const n = Math.min(text.length, size - 1);
        kernel.writeBytes(big(arg(0)), [...Array.from(text.slice(0, n), (c) => c.charCodeAt(0) & 0xff), 0]);
        return n;
      },
    },
  };
}
