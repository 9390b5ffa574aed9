// Models: nothing new — the "tools" subsystem: modelled user programs only some scenarios run
// (busybox ls, kernel/ls-tool.ts).
// Simplifies: nothing; see kernel/ls-tool.ts.
import { lsTool } from '../kernel/ls-tool';

export const tools = { lsTool };
