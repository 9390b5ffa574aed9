// Models: nothing new — the "loader" subsystem: load_module() and do_init_module()
// (kernel/module/main.c → kernel/loader/load-module.ts, with its stages: ELF checks, modinfo and
// version checks, layout, simplify_symbols, relocation, code patching, kallsyms, parameters) and
// delete_module() (kernel/loader/delete-module.ts), as one object the kernel is handed
// (subsystems.ts). init_module, finit_module and delete_module reach it (syscalls.ts); a run that
// never loads a module never needs it.
// Simplifies: nothing; see the files it gathers.
import { loadModule } from '../kernel/loader/load-module';
import { deleteModule } from '../kernel/loader/delete-module';

export const loader = { loadModule, deleteModule };
