// The emulator core's one import surface (architecture §1 "Public surface"). Widgets, the CLI and
// tests import from here; nothing in src/sim imports from the rest of the project.
// Simplifies: nothing; what each part models and simplifies is said in its own file.

export { readElf, isElfError } from './elf';
export type { ElfError, ElfFile, ElfSection, ElfSymbol, ElfProgramHeader, ElfFunction } from './elf';
export { Machine, type MachineConfig, type PortBus, type StopReason } from './machine';
export { describe, disassemble, type SimEvent, type RingCause } from './events';
export { decode } from './cpu/decode';
export { formatIntel } from './cpu/disasm';
export type { Instruction, Operand, DecodeResult } from './cpu/instruction';
export { hex64, REG_NAMES, type U64 } from './cpu/state';
export { VECTOR_NAMES } from './cpu/fault';
export { bootFixture, type FixtureOptions, type FixtureRun } from './boot/ring0-fixture';
export { bootBareUserProgram } from './boot/bare-user';

// The emulated Linux 6.1 kernel (issue 4): boot it from the data files, load modules through the
// modelled kmod tools (a real `syscall` from ring 3), and run the named loader scenarios.
export { Kernel, type KernelOptions } from './kernel/kernel';
export { kernelOptions, type KernelDataFiles } from './kernel/data';
export { kernelBodies } from './kernel/hle-library';
export { insmodTool, rmmodTool, type ToolResult } from './kernel/user-tools';
export { procModules, sysModule } from './kernel/loader/module-sysfs';
export { KernelLog, type LogRecord } from './kernel/printk';
export { CPU_FEATURES } from './kernel/loader/patching';
export { LOADER_SCENARIOS, runLoaderScenario, scenarioParams, type LoaderScenario } from './scenarios/loader';

// The driver model (issue 5): the PCI bus of QEMU's pc machine, hot-plug, kmod's depmod and
// modprobe and udevd's driver loading, all modelled user space entering the kernel by `syscall`.
export { pciBus, pciHotplugAdd, pciHotplugRemove, pciRescanBus, pciSysfsAttribute, PCI_TESTDEV, QEMU_PC_DEVICES, type PciDevice, type PciIds } from './kernel/pci';
export { depmod, depmodTool } from './kernel/kmod-depmod';
export { modprobeTool, kmodLookup } from './kernel/kmod-modprobe';
export { installModules, modulesDir } from './kernel/modules-dir';
export { udevd } from './kernel/udev';
export { runKernelWork } from './kernel/kthread';
// Booting with built-in code (issue 5): the linked image of public/samples/builtin/ and its initcalls.
export { bootBuiltins, INITCALL_LEVEL_NAMES, type BuiltinBootOptions } from './kernel/initcalls';
// Interrupts and a driver outside the kernel (issue 5): the device side, /proc/interrupts, and the
// two read() paths compared from their events, for widgets.
export { procInterrupts, pulseLine, runIdle } from './kernel/irq';
export { compareReadPaths, measureRead, DOCUMENTED_COSTS, type ReadCounts, type ReadComparison } from './kernel/userspace-driver';
export { lastReadComparison } from './scenarios/device-steps';
