// Models: nothing new — the "oops" subsystem: what a fault in ring 0 with no fix-up comes to
// (kernel/oops.ts: die(), the oops report, the call trace, killing the task).
// Simplifies: nothing; see kernel/oops.ts.
import { kernelFault } from '../kernel/oops';

export const oops = { kernelFault };
