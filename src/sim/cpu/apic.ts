// Models: the part of a local APIC that decides which interrupt the processor takes next (Intel
// SDM Vol. 3A §11.8): the request register (IRR), the in-service register (ISR), priority by
// vector class, and EOI (x2APIC MSR 0x80B).
// Simplifies: no timer, no task priority register, no inter-processor interrupts; devices raise
// vectors directly.

export class Apic {
  /** Vectors requested and not yet taken. */
  private irr = new Set<number>();
  /** Vectors taken and not yet acknowledged by EOI. */
  private isr: number[] = [];

  /** `notify` tells the processor to look at the APIC before its next instruction. */
  constructor(private readonly notify: () => void = () => {}) {}

  /** A device asks for an interrupt. */
  raise(vector: number) {
    if (vector < 16 || vector > 255) return;
    this.irr.add(vector);
    this.notify();
  }

  /** True when some vector is requested (a cheap test before pending()). */
  get requested(): boolean {
    return this.irr.size > 0;
  }

  /** The highest-priority requested vector the processor may take now, if any. */
  pending(): number | undefined {
    let best = -1;
    for (const v of this.irr) if (v > best) best = v;
    if (best < 0) return undefined;
    const busy = this.isr.length ? this.isr[this.isr.length - 1]! : -1;
    // A vector is blocked by one in service of the same or a higher priority class (vector >> 4).
    return busy >= 0 && best >> 4 <= busy >> 4 ? undefined : best;
  }

  /** The processor takes the vector: it moves from IRR to ISR. */
  accept(vector: number) {
    this.irr.delete(vector);
    this.isr.push(vector);
    this.isr.sort((a, b) => a - b);
  }

  /** EOI: the handler is done with the highest vector in service. */
  endOfInterrupt(): number | undefined {
    const v = this.isr.pop();
    if (this.irr.size) this.notify(); // a blocked vector may be deliverable now
    return v;
  }

  snapshot() {
    return { irr: [...this.irr].sort((a, b) => a - b), isr: [...this.isr] };
  }

  restore(s: { irr: number[]; isr: number[] }) {
    this.irr = new Set(s.irr);
    this.isr = [...s.isr];
  }
}
