// Models: the I/O APIC of the oracle's QEMU pc machine, as Linux 6.1 programs it (Intel 82093AA
// I/O APIC datasheet §3.2.4, the redirection table; arch/x86/kernel/apic/io_apic.c): 24 input
// pins, each with a redirection entry holding a vector and a mask bit. A rising edge on an
// unmasked edge-triggered pin sends the entry's vector to the local APIC of CPU 0; an edge on a
// masked pin is ignored, neither delivered nor held pending (82093AA, IOREDTBL bit 16).
// Simplifies: edge-triggered pins only (level-triggered pins and their remote IRR are not
// modelled); one destination, CPU 0, in fixed delivery mode; no MMIO register window — the kernel
// model writes the entries directly (ioapic_write_entry), and a device model drives the pins.
import type { Apic } from '../cpu/apic';

export const IOAPIC_PINS = 24;

export interface RedirectionEntry {
  vector: number;
  masked: boolean;
}

export type LineResult = { delivered: true; vector: number } | { delivered: false; why: string };

export class IoApic {
  /** Mask set and vector 0 at reset: every pin is masked until a driver's request unmasks it. */
  readonly entries: RedirectionEntry[] = Array.from({ length: IOAPIC_PINS }, () => ({ vector: 0, masked: true }));
  private readonly level: boolean[] = new Array<boolean>(IOAPIC_PINS).fill(false);

  constructor(private readonly apic: Apic) {}

  /** A device drives the pin high: a rising edge if it was low. */
  raise(pin: number): LineResult {
    if (pin < 0 || pin >= IOAPIC_PINS) return { delivered: false, why: `the I/O APIC has no pin ${pin}` };
    if (this.level[pin]) return { delivered: false, why: 'the line is already high: no new edge' };
    this.level[pin] = true;
    const e = this.entries[pin]!;
    if (e.masked) return { delivered: false, why: 'the pin is masked: the edge is ignored' };
    this.apic.raise(e.vector);
    return { delivered: true, vector: e.vector };
  }

  /** The device releases the pin. */
  lower(pin: number) {
    if (pin >= 0 && pin < IOAPIC_PINS) this.level[pin] = false;
  }
}
