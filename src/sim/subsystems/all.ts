// Models: nothing — every optional subsystem of the kernel (kernel/subsystems.ts), for callers that
// load them all at once: the command line, the tests and the build, in Node.
// Simplifies: nothing.
import type { Subsystems } from '../kernel/subsystems';
import { signatures } from './signatures';
import { oops } from './oops';
import { kmod } from './kmod';
import { pci } from './pci';
import { deviceSteps } from './device-steps';
import { builtin } from './builtin';
import { tools } from './tools';
import { loader } from './loader';
import { devices } from './devices';

export const ALL_SUBSYSTEMS: Required<Subsystems> = { signatures, oops, kmod, pci, deviceSteps, builtin, tools, loader, devices };
