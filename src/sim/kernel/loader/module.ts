// Models: what the kernel keeps for a module once load_module() has placed it (struct module in
// include/linux/module.h, 6.1: state, name, core_layout and init_layout, its exports, refcnt and
// the modules that use it).
// Simplifies: struct module's bytes are the module's own .gnu.linkonce.this_module, relocated
// into its memory; this record mirrors the fields the model reads, with their 6.1 names.

export type ModuleState = 'MODULE_STATE_LIVE' | 'MODULE_STATE_COMING' | 'MODULE_STATE_GOING' | 'MODULE_STATE_UNFORMED';

import type { KallsymsEntry } from './kallsyms';

export interface ModuleLayout {
  base: bigint;
  size: number;
  text_size: number;
  ro_size: number;
  ro_after_init_size: number;
}

export interface PlacedSection {
  index: number;
  name: string;
  address: bigint;
  size: number;
  init: boolean;
}

export interface LoadedModule {
  name: string;
  state: ModuleState;
  /** The module's struct module, at its place in core memory. */
  address: bigint;
  core_layout: ModuleLayout;
  init_layout: ModuleLayout;
  sections: PlacedSection[];
  license: string;
  gplCompatible: boolean;
  /** Taint letters this module caused (O, E, P, F …). */
  taints: string[];
  /** Modules this one uses (it holds a reference on each). */
  uses: string[];
  refcnt: number;
  init: bigint;
  exit: bigint;
  /** Its kallsyms table (kallsyms.ts): every symbol while init runs, the core ones after. */
  kallsyms: KallsymsEntry[];
  /** Symbols this module exports, with their addresses. */
  exports: { name: string; address: bigint; gpl: boolean; crc: number }[];
}
