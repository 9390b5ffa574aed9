// Models: nothing new — the "builtin" subsystem: booting with a built-in image, its initcalls and
// free_initmem (kernel/initcalls.ts, kernel/builtin-image.ts).
// Simplifies: nothing; see the files it gathers.
import { bootBuiltins } from '../kernel/initcalls';

export const builtin = { bootBuiltins };
