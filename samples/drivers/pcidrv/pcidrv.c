// SPDX-License-Identifier: GPL-2.0
/*
 * pcidrv.c - a PCI driver with an ID table, probe and remove (Ring Zero).
 *
 * The device: 1b36:0005, Red Hat's (QEMU's) "PCI test device", which QEMU
 * emulates with `-device pci-testdev`. It is a real, registered vendor/device
 * pair chosen because no in-tree Linux driver claims it, so this driver can
 * bind to it without competition. (It is not a virtio device.)
 *
 * Loading the module only registers the driver with the PCI bus. The bus
 * then compares every PCI device's vendor/device with pcidrv_ids[] and
 * calls pcidrv_probe() for each match; without such a device, probe never
 * runs. MODULE_DEVICE_TABLE() also copies the table into the module's
 * "alias=pci:v00001B36d00000005sv*sd*bc*sc*i*" modinfo, which is how
 * udev/modprobe find this module when the device appears.
 */
#include <linux/module.h>
#include <linux/pci.h>		/* struct pci_driver, struct pci_device_id */

#define PCIDRV_VENDOR_REDHAT	0x1b36	/* Red Hat, Inc. (QEMU devices) */
#define PCIDRV_DEVICE_TESTDEV	0x0005	/* QEMU pci-testdev */

static const struct pci_device_id pcidrv_ids[] = {
	{ PCI_DEVICE(PCIDRV_VENDOR_REDHAT, PCIDRV_DEVICE_TESTDEV) },
	{ }			/* an all-zero entry ends the table */
};
MODULE_DEVICE_TABLE(pci, pcidrv_ids);

/* Called by the PCI core for each device matching pcidrv_ids[]. */
static int pcidrv_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	pr_info("pcidrv: probe %s: vendor %04x device %04x\n",
		pci_name(pdev), pdev->vendor, pdev->device);
	return 0;		/* 0: "this device is mine" */
}

/* Called when the device goes away or the driver is unregistered. */
static void pcidrv_remove(struct pci_dev *pdev)
{
	pr_info("pcidrv: remove %s\n", pci_name(pdev));
}

static struct pci_driver pcidrv_driver = {
	.name     = "pcidrv",
	.id_table = pcidrv_ids,
	.probe    = pcidrv_probe,
	.remove   = pcidrv_remove,
};

static int __init pcidrv_init(void)
{
	pr_info("pcidrv: registering the driver\n");
	/* An inline wrapper around __pci_register_driver(drv, THIS_MODULE, "pcidrv"). */
	return pci_register_driver(&pcidrv_driver);
}

static void __exit pcidrv_exit(void)
{
	pci_unregister_driver(&pcidrv_driver);	/* calls remove for bound devices */
	pr_info("pcidrv: unloaded\n");
}

module_init(pcidrv_init);
module_exit(pcidrv_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ring Zero authors");
MODULE_DESCRIPTION("A PCI driver for QEMU's pci-testdev (1b36:0005)");
