// Models: the PCI driver registration functions a driver module calls, as Linux 6.1 exports them
// from drivers/pci/pci-driver.c: __pci_register_driver(drv, owner, mod_name) (what the inline
// pci_register_driver() and module_pci_driver() call) and pci_unregister_driver(drv). Their work
// (driver_register, binding, probe and remove as the driver's own code) is in pci.ts.
// Simplifies: see pci.ts.
import type { Kernel } from './kernel';
import type { Bodies } from './hle-library';
import { join } from './layout';
import { pciRegisterDriver, pciUnregisterDriver } from './pci';

export function pciBodies(k: () => Kernel): Bodies {
  return {
    __pci_register_driver: {
      source: 'drivers/pci/pci-driver.c',
      body: ({ arg }) => pciRegisterDriver(k(), join(arg(0)), join(arg(1)), join(arg(2))),
    },
    pci_unregister_driver: {
      source: 'drivers/pci/pci-driver.c',
      body: ({ arg }) => pciUnregisterDriver(k(), join(arg(0))),
    },
  };
}
