// Every widget the book has, for Widget.astro (build time only; nothing here reaches the browser):
// its name, its default scenario and title, how to draw its picture at a step of a run (the
// picture before hydration, and each frame of its print strip), and which steps its strip shows.
import type { ScenarioRun } from '../../lab/run';
import { describe } from '../../sim/events';
import { INITCALL_LEVEL_NAMES } from '../../sim/kernel/initcalls';
import { DOCUMENTED_COSTS } from '../../sim/kernel/userspace-driver';
import BootTimeline from '../BootTimeline.svelte';
import CodeTrace from '../CodeTrace.svelte';
import DeviceBus from '../DeviceBus.svelte';
import KernelLog from '../KernelLog.svelte';
import LoaderPipeline from '../LoaderPipeline.svelte';
import PathCompare from '../PathCompare.svelte';
import RingSwitcher from '../RingSwitcher.svelte';
import RelocationStepper from '../RelocationStepper.svelte';
import SymbolTable from '../SymbolTable.svelte';
import ObjectInspector from '../ObjectInspector.svelte';
import { bootTimelineKeySteps, bootTimelinePicture } from '../boot-timeline-lines';
import { codeTracePicture, codeTracePictureKeySteps } from '../code-trace-picture';
import { deviceBusKeySteps, deviceBusPicture } from '../device-bus-state';
import { kernelLogKeySteps, kernelLogPicture } from '../kernel-log-lines';
import { loaderPipelineKeySteps, loaderPipelinePicture } from '../loader-pipeline-stages';
import { pathCompareKeySteps, pathComparePicture } from '../path-compare-counts';
import { ringSwitcherKeySteps, ringSwitcherPicture } from '../ring-switcher-timeline';
import { relocationStepperKeySteps, relocationStepperPicture } from '../relocation-steps';
import { symbolTableKeySteps, symbolTablePicture } from '../symbol-table-rows';
import { objectInspectorPicture, objectInspectorPictureKeySteps } from '../object-inspector-picture';
import AddressSpace from '../AddressSpace.svelte';
import { addressSpaceKeySteps, addressSpacePicture } from '../address-space-map';
import KconfigToggle from '../KconfigToggle.svelte';
import { kconfigKeySteps, kconfigPicture } from '../kconfig-toggle-facts';

export interface WidgetEntry {
  /** The component's name, as the harness page titles it. */
  component: string;
  /** The figure's title unless a page gives its own. */
  title: string;
  scenario: string;
  /** The component itself, for the still frames of its print strip (never hydrated). */
  still: unknown; // a Svelte component (typed differently by tsc and by astro check)
  picture: (run: ScenarioRun, at: number) => unknown;
  keySteps: (run: ScenarioRun) => number[];
  /** Props the widget needs besides the common ones (data made at build time). */
  extra?: Record<string, unknown>;
}

export const WIDGETS = {
  'kernel-log': {
    component: 'KernelLog',
    title: 'The kernel log',
    scenario: 'hello-read',
    still: KernelLog,
    picture: (run, at) => kernelLogPicture(run.events, at),
    keySteps: (run) => kernelLogKeySteps(run.events),
  },
  'loader-pipeline': {
    component: 'LoaderPipeline',
    title: 'load_module, stage by stage',
    scenario: 'hello-load',
    still: LoaderPipeline,
    picture: (run, at) => loaderPipelinePicture(run.scenario.id, run.events, at),
    keySteps: (run) => loaderPipelineKeySteps(run.events),
  },
  'device-bus': {
    component: 'DeviceBus',
    title: 'A device on the PCI bus meets its driver',
    scenario: 'pci-hotplug-autoload',
    still: DeviceBus,
    picture: (run, at) => deviceBusPicture(run.events, at),
    keySteps: (run) => deviceBusKeySteps(run.events),
  },
  'ring-switcher': {
    component: 'RingSwitcher',
    title: 'Rings: where the CPU runs',
    scenario: 'user-cli-gp',
    still: RingSwitcher,
    picture: (run, at) => ringSwitcherPicture(run.events, at),
    keySteps: (run) => ringSwitcherKeySteps(run.events),
  },
  'path-compare': {
    component: 'PathCompare',
    title: 'One read(), two paths',
    scenario: 'userspace-driver-read',
    still: PathCompare,
    picture: (run, at) => pathComparePicture(run.events, at),
    keySteps: (run) => pathCompareKeySteps(run.events),
    extra: { costs: DOCUMENTED_COSTS },
  },
  'boot-timeline': {
    component: 'BootTimeline',
    title: 'Booting with built-in code',
    scenario: 'builtin-boot',
    still: BootTimeline,
    picture: (run, at) => bootTimelinePicture(run.events, INITCALL_LEVEL_NAMES, describe, at),
    keySteps: (run) => bootTimelineKeySteps(run.events, INITCALL_LEVEL_NAMES, describe),
    extra: { levelNames: INITCALL_LEVEL_NAMES },
  },
  'code-trace': {
    component: 'CodeTrace',
    title: 'C, machine code and the CPU',
    scenario: 'hello-read',
    still: CodeTrace,
    picture: (run, at) => codeTracePicture(run, at),
    keySteps: (run) => codeTracePictureKeySteps(run),
  },
  'relocation-stepper': {
    component: 'RelocationStepper',
    title: 'Relocations, one at a time',
    scenario: 'hello-load',
    still: RelocationStepper,
    picture: (run, at) => relocationStepperPicture(run.events, at),
    keySteps: (run) => relocationStepperKeySteps(run.events),
  },
  'symbol-table': {
    component: 'SymbolTable',
    title: 'A module’s symbols meet the kernel’s exports',
    scenario: 'hello-load',
    still: SymbolTable,
    picture: (run, at) => symbolTablePicture(run.events, at),
    keySteps: (run) => symbolTableKeySteps(run.events),
  },
  'object-inspector': {
    component: 'ObjectInspector',
    title: 'Inside a module file',
    scenario: 'hello-load',
    still: ObjectInspector,
    picture: (run, at) => objectInspectorPicture(run, at),
    keySteps: (run) => objectInspectorPictureKeySteps(run),
  },
  'address-space': {
    component: 'AddressSpace',
    title: 'The address space, from the page tables',
    scenario: 'hello-read',
    still: AddressSpace,
    picture: (run, at) => addressSpacePicture(run.events, at),
    keySteps: (run) => addressSpaceKeySteps(run.events),
  },
  'kconfig-toggle': {
    component: 'KconfigToggle',
    title: 'y, m or n: one driver, three kernels',
    scenario: 'builtin-boot',
    still: KconfigToggle,
    picture: (run, at) => kconfigPicture(run.scenario.id, run.events, at),
    keySteps: (run) => kconfigKeySteps(run.events),
  },
} satisfies Record<string, WidgetEntry>;

export type WidgetName = keyof typeof WIDGETS;
export const WIDGET_NAMES = Object.keys(WIDGETS) as WidgetName[];
