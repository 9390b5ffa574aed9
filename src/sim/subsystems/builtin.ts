// Models: nothing new — the "builtin" subsystem: booting with a built-in image, its initcalls and
// free_initmem, and %pS of an address in it (kernel/initcalls.ts, kernel/builtin-image.ts).
// Simplifies: nothing; see the files it gathers.
import { bootBuiltins } from '../kernel/initcalls';
import { vmlinuxSymbolName } from '../kernel/builtin-image';

export const builtin = { bootBuiltins, vmlinuxSymbolName };
