// One traced run of a named scenario on a freshly booted emulated kernel, for the widgets: its
// events (the widgets' only source of truth) and each step's outcome. The same code runs at build
// time in Node (the picture before hydration) and in the browser. Sample files are read through a
// cache: a run that asks for a file not yet fetched stops, the file is fetched, and the run starts
// again from the beginning — the emulator is deterministic, so the second run is the same run.
// The kernel's optional subsystems (src/sim/kernel/subsystems.ts) come the same way: a run that
// reaches one not yet loaded stops with MissingSubsystem, the subsystem is loaded, and the run
// starts again.
import { bootKernelWith, type KernelDataFiles } from '../sim/kernel/data';
import { MissingSubsystem, type SubsystemName, type Subsystems } from '../sim/kernel/subsystems';
import { kernelBodies } from '../sim/kernel/hle-library';
import { LOADER_SCENARIOS, runLoaderScenario, scenarioParams, type LoaderScenario, type ScenarioOutcome } from '../sim/scenarios/loader';
import type { SimEvent } from '../sim/events';

export interface ScenarioRun {
  scenario: LoaderScenario;
  params: Record<string, string>;
  events: readonly SimEvent[];
  outcomes: readonly ScenarioOutcome[];
}

export type RunResult = { ok: true; run: ScenarioRun } | { ok: false; error: string };

/** Where a run gets the kernel's data files, its optional subsystems and the sample files (public/samples/<path>). */
export interface RunSources {
  data: () => Promise<KernelDataFiles>;
  file: (path: string) => Promise<Uint8Array>;
  subsystem: <N extends SubsystemName>(name: N) => Promise<NonNullable<Subsystems[N]>>;
}

class MissingFile extends Error {
  constructor(readonly path: string) {
    super(`${path} is not fetched yet`);
  }
}

/**
 * Runs a scenario with files and subsystems that are already at hand; `file` may throw for one
 * that is not, and the run throws MissingSubsystem when it needs a subsystem it was not given.
 */
export function runScenarioWith(data: KernelDataFiles, id: string, given: Record<string, string>, file: (path: string) => Uint8Array, subsystems: Subsystems): RunResult {
  const scenario = LOADER_SCENARIOS.find((s) => s.id === id);
  if (!scenario) return { ok: false, error: `The book has no scenario "${id}".` };
  const params = scenarioParams(scenario, given);
  if ('error' in params) return { ok: false, error: `The scenario's parameters do not fit: ${params.error}.` };
  const k = bootKernelWith(data, kernelBodies, subsystems);
  k.m.trace = true;
  const outcomes = runLoaderScenario(k, scenario, params, file);
  return { ok: true, run: { scenario, params, events: k.m.log, outcomes } };
}

const MAX_FETCHES = 64;

/** The subsystems loaded so far on this page (each is loaded once, then kept). */
const loaded: Subsystems = {};

/**
 * Runs a scenario, fetching each sample file and loading each subsystem it needs; never throws: a
 * failure is an error in words. `subsystems` keeps the loaded ones for later runs.
 */
export async function runScenario(id: string, given: Record<string, string>, sources: RunSources, cache = new Map<string, Uint8Array>(), subsystems: Subsystems = loaded): Promise<RunResult> {
  let data: KernelDataFiles;
  try {
    data = await sources.data();
  } catch (e) {
    return { ok: false, error: `The kernel's data could not be loaded: ${message(e)}.` };
  }
  for (let fetches = 0; fetches <= MAX_FETCHES; fetches++) {
    try {
      return runScenarioWith(data, id, given, (path) => {
        const bytes = cache.get(path);
        if (!bytes) throw new MissingFile(path);
        return bytes;
      }, subsystems);
    } catch (e) {
      if (e instanceof MissingSubsystem && !subsystems[e.subsystem]) {
        try {
          Object.assign(subsystems, { [e.subsystem]: await sources.subsystem(e.subsystem) });
        } catch (f) {
          return { ok: false, error: `The kernel's ${e.subsystem} subsystem could not be loaded: ${message(f)}.` };
        }
        continue;
      }
      if (!(e instanceof MissingFile)) return { ok: false, error: `The simulation stopped: ${message(e)}.` };
      try {
        cache.set(e.path, await sources.file(e.path));
      } catch (f) {
        return { ok: false, error: `The sample file ${e.path} could not be loaded: ${message(f)}.` };
      }
    }
  }
  return { ok: false, error: `The scenario needs more than ${MAX_FETCHES} files.` };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/\.$/, '');
