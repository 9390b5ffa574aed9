// The emulator core's one import surface (architecture §1 "Public surface"). Widgets, the CLI and
// tests import from here; nothing in src/sim imports from the rest of the project.
// Simplifies: the kernel (issues 4 and 5) is not here yet: the machine runs fixtures and bare
// user programs.

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
