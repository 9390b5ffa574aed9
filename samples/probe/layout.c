// SPDX-License-Identifier: GPL-2.0
/*
 * layout.c - the layout probe (Ring Zero). Never loaded: only COMPILED.
 *
 * The emulated kernel writes and reads real kernel structures in guest
 * memory (a driver's struct file_operations, the struct module that kbuild
 * put in .gnu.linkonce.this_module, the struct pci_dev it gives to probe...).
 * Their offsets depend on the kernel version AND its configuration (Debian's
 * 6.1 has members that mainline 6.1 lacks), so the model takes every offset
 * from here: gcc computes them with the pinned headers and kbuild's own flags.
 *
 * The technique is the kernel's own asm-offsets (include/linux/kbuild.h):
 * each asm statement below leaves one line such as
 *
 *	.ascii "->file_operations.read $16 "
 *
 * in gcc's assembly output (`make -C <headers> M=<dir> layout.s`), and
 * samples/gen-kernel-data.py collects them into src/sim/data/layout.json.
 * No code from this file ever runs.
 *
 *	FIELD(s, m)	offsetof(struct s, m) and sizeof that member
 *	SIZE(s)		sizeof(struct s)
 */
#include <linux/module.h>
#include <linux/stddef.h>	/* offsetof, sizeof_field */
#include <linux/fs.h>
#include <linux/cdev.h>
#include <linux/miscdevice.h>
#include <linux/pci.h>
#include <linux/moduleparam.h>
#include <linux/export.h>

#define MARK(name, val) \
	asm volatile("\n.ascii \"->" name " %0 \"" : : "i" (val))
#define FIELD(s, m) do { \
	MARK(#s "." #m, offsetof(struct s, m)); \
	MARK(#s "." #m "/size", sizeof_field(struct s, m)); \
} while (0)
#define SIZE(s) MARK(#s "/size", sizeof(struct s))

void ring0_layout(void);	/* not static, so gcc emits it */
void ring0_layout(void)
{
	/* The VFS calls a driver through this table. */
	SIZE(file_operations);
	FIELD(file_operations, owner);
	FIELD(file_operations, llseek);
	FIELD(file_operations, read);
	FIELD(file_operations, write);
	FIELD(file_operations, read_iter);
	FIELD(file_operations, write_iter);
	FIELD(file_operations, poll);
	FIELD(file_operations, unlocked_ioctl);
	FIELD(file_operations, compat_ioctl);
	FIELD(file_operations, mmap);
	FIELD(file_operations, open);
	FIELD(file_operations, flush);
	FIELD(file_operations, release);
	FIELD(file_operations, fsync);
	FIELD(file_operations, fasync);

	/* An open file: what read(2) passes as its first argument. */
	SIZE(file);
	FIELD(file, f_path);
	FIELD(file, f_inode);
	FIELD(file, f_op);
	FIELD(file, f_count);
	FIELD(file, f_flags);
	FIELD(file, f_mode);
	FIELD(file, f_pos);
	FIELD(file, private_data);

	SIZE(inode);
	FIELD(inode, i_mode);
	FIELD(inode, i_ino);
	FIELD(inode, i_rdev);
	FIELD(inode, i_size);
	FIELD(inode, i_fop);
	FIELD(inode, i_cdev);
	FIELD(inode, i_private);

	/* The module itself: kbuild's .gnu.linkonce.this_module is one of these. */
	SIZE(module);
	FIELD(module, state);
	FIELD(module, list);
	FIELD(module, name);
	FIELD(module, mkobj);
	FIELD(module, version);
	FIELD(module, srcversion);
	FIELD(module, holders_dir);
	FIELD(module, syms);
	FIELD(module, crcs);
	FIELD(module, num_syms);
	FIELD(module, param_lock);
	FIELD(module, kp);
	FIELD(module, num_kp);
	FIELD(module, num_gpl_syms);
	FIELD(module, gpl_syms);
	FIELD(module, gpl_crcs);
	FIELD(module, using_gplonly_symbols);
	FIELD(module, sig_ok);
	FIELD(module, async_probe_requested);
	FIELD(module, num_exentries);
	FIELD(module, extable);
	FIELD(module, init);
	FIELD(module, core_layout);
	FIELD(module, core_layout.base);
	FIELD(module, core_layout.size);
	FIELD(module, core_layout.text_size);
	FIELD(module, core_layout.ro_size);
	FIELD(module, core_layout.ro_after_init_size);
	FIELD(module, init_layout);
	FIELD(module, init_layout.base);
	FIELD(module, init_layout.size);
	FIELD(module, init_layout.text_size);
	FIELD(module, init_layout.ro_size);
	FIELD(module, init_layout.ro_after_init_size);
	FIELD(module, arch);
	FIELD(module, taints);
	FIELD(module, num_bugs);
	FIELD(module, bug_list);
	FIELD(module, bug_table);
	FIELD(module, kallsyms);
	FIELD(module, core_kallsyms);
	FIELD(module, sect_attrs);
	FIELD(module, notes_attrs);
	FIELD(module, args);
	FIELD(module, percpu);
	FIELD(module, percpu_size);
	FIELD(module, noinstr_text_start);
	FIELD(module, noinstr_text_size);
	FIELD(module, num_tracepoints);
	FIELD(module, tracepoints_ptrs);
	FIELD(module, jump_entries);
	FIELD(module, num_jump_entries);
	FIELD(module, num_ftrace_callsites);
	FIELD(module, ftrace_callsites);
	FIELD(module, num_static_call_sites);
	FIELD(module, static_call_sites);
	FIELD(module, source_list);
	FIELD(module, target_list);
	FIELD(module, exit);
	FIELD(module, refcnt);

	SIZE(module_layout);
	FIELD(module_layout, base);
	FIELD(module_layout, size);
	FIELD(module_layout, text_size);
	FIELD(module_layout, ro_size);
	FIELD(module_layout, ro_after_init_size);

	SIZE(list_head);
	FIELD(list_head, next);
	FIELD(list_head, prev);

	/* One entry of a module's __param section (module_param). */
	SIZE(kernel_param);
	FIELD(kernel_param, name);
	FIELD(kernel_param, mod);
	FIELD(kernel_param, ops);
	FIELD(kernel_param, perm);
	FIELD(kernel_param, level);
	FIELD(kernel_param, flags);
	FIELD(kernel_param, arg);

	SIZE(kernel_param_ops);
	FIELD(kernel_param_ops, flags);
	FIELD(kernel_param_ops, set);
	FIELD(kernel_param_ops, get);
	FIELD(kernel_param_ops, free);

	/* One entry of __ksymtab (EXPORT_SYMBOL); 6.1 x86-64 uses 32-bit
	 * place-relative offsets (CONFIG_HAVE_ARCH_PREL32_RELOCATIONS). */
	SIZE(kernel_symbol);
	FIELD(kernel_symbol, value_offset);
	FIELD(kernel_symbol, name_offset);
	FIELD(kernel_symbol, namespace_offset);

	/* One entry of __versions. */
	SIZE(modversion_info);
	FIELD(modversion_info, crc);
	FIELD(modversion_info, name);

	SIZE(cdev);
	FIELD(cdev, kobj);
	FIELD(cdev, owner);
	FIELD(cdev, ops);
	FIELD(cdev, list);
	FIELD(cdev, dev);
	FIELD(cdev, count);

	SIZE(miscdevice);
	FIELD(miscdevice, minor);
	FIELD(miscdevice, name);
	FIELD(miscdevice, fops);
	FIELD(miscdevice, list);
	FIELD(miscdevice, parent);
	FIELD(miscdevice, this_device);
	FIELD(miscdevice, groups);
	FIELD(miscdevice, nodename);
	FIELD(miscdevice, mode);

	SIZE(pci_device_id);
	FIELD(pci_device_id, vendor);
	FIELD(pci_device_id, device);
	FIELD(pci_device_id, subvendor);
	FIELD(pci_device_id, subdevice);
	FIELD(pci_device_id, class);
	FIELD(pci_device_id, class_mask);
	FIELD(pci_device_id, driver_data);
	FIELD(pci_device_id, override_only);

	SIZE(pci_driver);
	FIELD(pci_driver, node);
	FIELD(pci_driver, name);
	FIELD(pci_driver, id_table);
	FIELD(pci_driver, probe);
	FIELD(pci_driver, remove);
	FIELD(pci_driver, suspend);
	FIELD(pci_driver, resume);
	FIELD(pci_driver, shutdown);
	FIELD(pci_driver, err_handler);
	FIELD(pci_driver, groups);
	FIELD(pci_driver, dev_groups);
	FIELD(pci_driver, driver);
	FIELD(pci_driver, dynids);
	FIELD(pci_driver, driver_managed_dma);

	/* The driver's list of ids added through new_id (an empty list at registration). */
	SIZE(pci_dynids);
	FIELD(pci_dynids, lock);
	FIELD(pci_dynids, list);

	SIZE(pci_dev);
	FIELD(pci_dev, bus_list);
	FIELD(pci_dev, bus);
	FIELD(pci_dev, devfn);
	FIELD(pci_dev, vendor);
	FIELD(pci_dev, device);
	FIELD(pci_dev, subsystem_vendor);
	FIELD(pci_dev, subsystem_device);
	FIELD(pci_dev, class);
	FIELD(pci_dev, revision);
	FIELD(pci_dev, hdr_type);
	FIELD(pci_dev, pin);
	FIELD(pci_dev, driver);
	FIELD(pci_dev, dma_mask);
	FIELD(pci_dev, dev);
	FIELD(pci_dev, irq);
	FIELD(pci_dev, resource);
	FIELD(pci_dev, match_driver);
	FIELD(pci_dev, driver_override);

	/* pci_bus_type: what drv->driver.bus and dev->bus point at. */
	SIZE(bus_type);
	FIELD(bus_type, name);
	FIELD(bus_type, match);
	FIELD(bus_type, uevent);
	FIELD(bus_type, probe);
	FIELD(bus_type, remove);

	SIZE(device_driver);
	FIELD(device_driver, name);
	FIELD(device_driver, bus);
	FIELD(device_driver, owner);
	FIELD(device_driver, mod_name);
	FIELD(device_driver, suppress_bind_attrs);
	FIELD(device_driver, probe_type);
	FIELD(device_driver, probe);
	FIELD(device_driver, remove);
	FIELD(device_driver, shutdown);
	FIELD(device_driver, groups);
	FIELD(device_driver, dev_groups);
	FIELD(device_driver, p);

	/* pci_name(pdev) is dev_name(&pdev->dev): init_name, else kobj.name. */
	SIZE(device);
	FIELD(device, kobj);
	FIELD(device, kobj.name);
	FIELD(device, parent);
	FIELD(device, init_name);
	FIELD(device, type);
	FIELD(device, bus);
	FIELD(device, driver);
	FIELD(device, driver_data);
	FIELD(device, devt);
	FIELD(device, class);

	SIZE(kobject);
	FIELD(kobject, name);
	FIELD(kobject, entry);
	FIELD(kobject, parent);
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Ring Zero layout probe: compiled for its offsets, never loaded");
