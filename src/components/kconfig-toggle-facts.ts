// What KconfigToggle shows, from a run's events alone: hello set to y, m or n is a different run
// (y: builtin-boot, the kernel booted with hello in its built-in image; m: kconfig-m, hello.ko
// installed under /lib/modules and loaded by modprobe; n: kconfig-n, the same kernel with neither),
// and each fact is the event that shows it — hello_init read from the image's initcall table,
// the .ko copied into /lib/modules (or modules.builtin naming it, or modprobe finding nothing),
// hello's init run at boot or at load — with the step it happens at, and the log so far.
import type { SimEvent } from '../sim/events';
import { KernelLog } from '../sim/kernel/printk';
import { pickSteps, STRIP_FRAMES } from '../lab/key-steps';

export type Choice = 'y' | 'm' | 'n';
/** The run each setting is. */
export const KCONFIG_SCENARIOS: Record<Choice, string> = { y: 'builtin-boot', m: 'kconfig-m', n: 'kconfig-n' };
export const choiceOf = (scenario: string): Choice | undefined => (Object.keys(KCONFIG_SCENARIOS) as Choice[]).find((c) => KCONFIG_SCENARIOS[c] === scenario);

export interface Fact {
  /** A short answer: 'yes', 'no', 'builtin', 'boot', 'load', 'never' … */
  answer: string;
  text: string;
  /** The step whose event shows it; undefined when the answer is that no event of the run does. */
  step?: number;
}

export interface KconfigFacts {
  image: Fact;
  file: Fact;
  init: Fact;
}

export interface KconfigPicture {
  steps: number;
  scenario: string;
  facts: KconfigFacts;
  log: { step: number; text: string }[];
}

const MODULE = 'hello';
const INIT = 'hello_init';

/** The facts of the whole run (each with the step that shows it). */
export function kconfigFacts(events: readonly SimEvent[]): KconfigFacts {
  let image: Fact | undefined, file: Fact | undefined, init: Fact | undefined;
  let initcalls = 0;
  events.forEach((e, i) => {
    const step = i + 1;
    if (e.kind === 'boot/initcall-entry-read') {
      initcalls++;
      if (e.name === INIT && !image) {
        image = { answer: 'yes', text: `${INIT} is in the kernel image: do_initcalls reads it from the "${e.level}" level of the image's initcall table`, step };
        init ??= { answer: 'boot', text: `at boot, in initcall level "${e.level}", before any program runs`, step };
      }
    } else if (e.kind === 'user/modelled' && !file) {
      if (e.program === 'cp' && e.text.includes('/lib/modules/')) file = { answer: 'yes', text: `${MODULE}.ko is a file: ${e.text.replace(/\.$/, '')}`, step };
      else if (e.program === 'rmmod' && e.text.includes('modules.builtin')) file = { answer: 'builtin', text: `no ${MODULE}.ko; modules.builtin lists ${MODULE} instead, and kmod says so: ${e.text.replace(/\.$/, '')}`, step };
      else if (e.program === 'modprobe' && e.text.startsWith('no module matches')) file = { answer: 'no', text: `no ${MODULE}.ko under /lib/modules: modprobe finds ${e.text.replace(/\.$/, '')}`, step };
    } else if (e.kind === 'loader/init-called' && e.module === MODULE && !init) {
      init = { answer: 'load', text: `only when it is loaded: do_init_module calls it after modprobe's finit_module()`, step };
    }
  });
  return {
    image: image ?? { answer: 'no', text: initcalls ? `the image's initcall table has ${initcalls} entries read at boot, none of them ${INIT}` : `this kernel booted without a built-in image of ours: no initcall of the run is ${INIT}` },
    file: file ?? { answer: 'unknown', text: `no event of this run looks under /lib/modules for ${MODULE}` },
    init: init ?? { answer: 'never', text: `never: no event of the run calls ${MODULE}'s init — its code is in neither the image nor a module` },
  };
}

export const kconfigLog = (events: readonly SimEvent[]) =>
  events.flatMap((e, i) => (e.kind === 'kernel/printk' ? [{ step: i + 1, text: KernelLog.line({ seq: 0, level: e.level, timeNs: e.timeNs, text: e.text }) }] : []));

export const kconfigPicture = (scenario: string, events: readonly SimEvent[], at = events.length): KconfigPicture => ({
  steps: at,
  scenario,
  facts: kconfigFacts(events),
  log: kconfigLog(events).filter((l) => l.step <= at),
});

/** A print strip's states: where each fact is shown, and the end. */
export function kconfigKeySteps(events: readonly SimEvent[]): number[] {
  const f = kconfigFacts(events);
  return pickSteps([f.image.step, f.file.step, f.init.step, events.length].filter((s): s is number => s !== undefined), STRIP_FRAMES);
}
