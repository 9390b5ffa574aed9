// Models: nothing new — the "pci" subsystem: the PCI driver functions a module calls
// (kernel/hle-pci.ts, kernel/pci.ts) and the driver-model scenario steps (cp to /lib/modules,
// depmod, modprobe, a card plugged in or pulled out, udevd, lsmod: scenarios/driver-model-steps.ts).
// Simplifies: nothing; see the files it gathers.
import { pciBodies } from '../kernel/hle-pci';
import { runDriverModelStep } from '../scenarios/driver-model-steps';

export const pci = { pciBodies, runDriverModelStep };
