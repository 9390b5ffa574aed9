// A Lab owns one scenario run for the widgets on a page: the run's events (outside reactivity:
// they never change once made), a playback state (the cursor, play, speed) and a revision counter,
// which are the only reactive parts, so stepping stays cheap. getLab() is a page-wide registry,
// because Astro islands share no Svelte context: two widgets naming one lab show the same run.
import type { SimEvent } from '../sim/events';
import { formatLabLink, isLabFragment, paramsForLink, parseLabLink, type LabLink } from './lab-link';
import { pause, play, seek, setSpeed, startPlayback, stepBack, stepForward, tick, toEnd, toStart, type PlaybackState } from './playback';
import type { RunSources, ScenarioRun } from './run';

export type LabStatus = 'idle' | 'loading' | 'ready' | 'error';
/** Where a run opens when no link names a step: its start, its end, or a step (a question's). */
export type OpenAt = 'start' | 'end' | number;

export class Lab {
  readonly id: string;
  status = $state<LabStatus>('idle');
  /** Why the run failed, or what was wrong with the link that opened the page (then the default ran). */
  error = $state<string | undefined>(undefined);
  notice = $state<string | undefined>(undefined);
  scenario = $state('');
  params = $state<Record<string, string>>({});
  playback = $state<PlaybackState>(startPlayback(0));
  /** Bumped when a new run replaces the old one. */
  revision = $state(0);
  /** The run itself: plain data, not reactive. */
  private current: ScenarioRun | undefined;
  /** describe() from its own chunk, loaded with the first run. */
  private describer: ((e: SimEvent) => string) | undefined;
  private frame = 0;
  private last = 0;
  /** Counts load() calls: a run that finishes after a newer load began is dropped. */
  private loads = 0;
  /** Set by the first widget of this lab to hydrate (ensureOpen). */
  private opened = false;

  constructor(id: string) {
    this.id = id;
  }

  get run(): ScenarioRun | undefined {
    void this.revision; // a reader of the run depends on the revision
    return this.current;
  }

  get events(): readonly SimEvent[] {
    return this.run?.events ?? [];
  }

  get cursor(): number {
    return this.playback.cursor;
  }

  /** The plain-English sentence for an event (empty until describe()'s chunk is loaded). */
  describe(e: SimEvent): string {
    void this.revision;
    return this.describer?.(e) ?? '';
  }

  /** The event the cursor last passed (the one narrated), if any. */
  get event(): SimEvent | undefined {
    return this.cursor > 0 ? this.events[this.cursor - 1] : undefined;
  }

  /**
   * Opens the lab once per page, whichever of its widgets hydrates first: from the page's `#lab:`
   * link if it names this lab, else the widget's default scenario, at `start` when no step is given.
   */
  ensureOpen(hash: string, fallback: { scenario: string; params: Record<string, string> }, sources: RunSources, start: OpenAt = 'start'): void {
    if (this.opened) return;
    this.opened = true;
    void this.open(hash, fallback, sources, start);
    // A link followed within the page changes only the fragment: reopen when it names this lab.
    addEventListener('hashchange', () => {
      if (isLabFragment(location.hash)) {
        this.notice = undefined;
        void this.open(location.hash, fallback, sources, start);
      }
    });
  }

  /** Runs a scenario and opens it at a step (the start when absent or outside the run). */
  async load(scenario: string, params: Record<string, string>, sources: RunSources, step?: number | 'end'): Promise<void> {
    this.stop();
    const mine = ++this.loads;
    this.status = 'loading';
    this.scenario = scenario;
    this.params = params;
    // The emulator is its own chunk, fetched with the first run (the page's script stays small);
    // describe() (src/sim/events.ts, the narration) is another, fetched alongside it.
    const [{ runScenario }, { describe }] = await Promise.all([import('./run'), import('../sim/events')]);
    this.describer = describe;
    const r = await runScenario(scenario, params, sources);
    if (mine !== this.loads) return; // a newer load replaced this one while it ran
    if (!r.ok) {
      this.status = 'error';
      this.error = r.error;
      return;
    }
    this.current = r.run;
    this.params = r.run.params;
    this.error = undefined;
    const length = r.run.events.length;
    if (typeof step === 'number' && step > length) this.notice = `This link asks for step ${step}, but the run has ${length} steps; it opens at the start.`;
    this.playback = startPlayback(length, step === 'end' ? length : step !== undefined && step <= length ? step : 0);
    this.revision++;
    this.status = 'ready';
  }

  /**
   * Switches to another run that a widget offers (a fault, a configuration), opened at its end. A
   * `#lab:` link to this lab in the address bar then names the new run, so a reload keeps it.
   */
  async choose(scenario: string, params: Record<string, string>, sources: RunSources): Promise<void> {
    await this.load(scenario, params, sources, 'end');
    if (this.scenario !== scenario || this.status !== 'ready' || !this.current) return;
    const current = isLabFragment(location.hash) ? parseLabLink(location.hash) : undefined;
    if (current?.ok && current.link.lab === this.id) history.replaceState(history.state, '', formatLabLink({ lab: this.id, scenario, params: paramsForLink(this.params, this.current.scenario.params) }));
  }

  /** Opens the lab from a `#lab:` link, or its default when the link is bad (with a notice saying why). */
  async open(hash: string, fallback: { scenario: string; params: Record<string, string> }, sources: RunSources, start: OpenAt = 'start'): Promise<void> {
    let link: LabLink | undefined;
    if (isLabFragment(hash)) {
      const parsed = parseLabLink(hash);
      if (!parsed.ok) this.notice = `${parsed.error} The simulation opens at its start instead.`;
      else if (parsed.link.lab === this.id) link = parsed.link; // a link to another lab leaves this one alone
    }
    const step = link?.step ?? (start === 'start' ? undefined : start);
    if (link?.scenario) {
      // The run checks the scenario and its parameters; a link naming a wrong one falls back.
      await this.load(link.scenario, link.params, sources, step);
      if (this.status !== 'error') return;
      this.notice = `This link does not open: ${this.error} The simulation opens at its start instead.`;
    }
    await this.load(fallback.scenario, fallback.params, sources, link?.scenario ? undefined : step);
  }

  /** The fragment that reopens this exact state. */
  link(): string {
    const params = this.current ? paramsForLink(this.params, this.current.scenario.params) : this.params;
    return formatLabLink({ lab: this.id, scenario: this.scenario, params, step: this.cursor });
  }

  seek(step: number) {
    this.stop();
    this.playback = seek(this.playback, step);
  }
  stepForward() {
    this.stop();
    this.playback = stepForward(this.playback);
  }
  stepBack() {
    this.stop();
    this.playback = stepBack(this.playback);
  }
  toStart() {
    this.stop();
    this.playback = toStart(this.playback);
  }
  toEnd() {
    this.stop();
    this.playback = toEnd(this.playback);
  }
  setSpeed(speed: number) {
    this.playback = setSpeed(this.playback, speed);
  }

  play() {
    this.playback = play(this.playback);
    this.last = 0;
    const frame = (now: number) => {
      const ms = this.last ? now - this.last : 0;
      this.last = now;
      this.playback = tick(this.playback, ms);
      this.frame = this.playback.playing ? requestAnimationFrame(frame) : 0;
    };
    if (this.playback.playing) this.frame = requestAnimationFrame(frame);
  }

  pause() {
    this.stop();
    this.playback = pause(this.playback);
  }

  private stop() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }
}

/** Not reactive: a lab, once made, stays for the page's life; only its own fields change. */
const labs = new Map<string, Lab>();

/** The page's lab with this id, made on first use. */
export function getLab(id: string): Lab {
  let lab = labs.get(id);
  if (!lab) labs.set(id, (lab = new Lab(id)));
  return lab;
}
