// Models: `ring0 run SCENARIO [--param k=v ...] [--trace]`: one of the book's named scenarios on a
// freshly booted emulated Linux 6.1, printing each step as `# command` with the tool's messages,
// then the kernel log as dmesg shows it, and with --trace every event the machine recorded, in
// the sentences the book's narration uses. `ring0 run --list` names the scenarios and parameters.
// Simplifies: nothing beyond the scenarios' own models.
import { bootKernel } from './kernel-data';
import { sampleBytes } from './samples';
import { outputLines } from './format';
import { LOADER_SCENARIOS, runLoaderScenario, scenarioParams } from '../sim/scenarios/loader';
import { describe as sentence } from '../sim/events';
import { KernelLog } from '../sim/kernel/printk';
import type { CliIo } from './ring0';

const USAGE = 'ring0: usage: ring0 run SCENARIO [--param name=value ...] [--trace] (or ring0 run --list)';

export function runScenario(args: string[], io: CliIo): number {
  if (args.length === 1 && args[0] === '--list') {
    for (const s of LOADER_SCENARIOS) {
      io.out(`${s.id.padEnd(28)} ${s.title}`);
      for (const p of s.params) io.out(`${''.padEnd(28)}   --param ${p.name}=${p.values.join('|')} (default ${p.default}): ${p.description}`);
    }
    return 0;
  }
  let id: string | undefined, trace = false;
  const given: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--trace') trace = true;
    else if (a === '--param') {
      const kv = /^([\w-]+)=(.*)$/.exec(args[++i] ?? '');
      if (!kv) return usage(io, 'a parameter is written --param name=value');
      given[kv[1]!] = kv[2]!;
    } else if (a.startsWith('-')) return usage(io, `unknown option ${a}`);
    else if (id === undefined) id = a;
    else return usage(io, `one scenario at a time (got "${id}" and "${a}")`);
  }
  if (id === undefined) return usage(io);
  const s = LOADER_SCENARIOS.find((x) => x.id === id);
  if (!s) {
    io.err(`ring0: there is no scenario "${id}"; "ring0 run --list" names them.`);
    return 1;
  }
  const params = scenarioParams(s, given);
  if ('error' in params) {
    io.err(`ring0: ${params.error}`);
    return 1;
  }
  const k = bootKernel();
  k.m.trace = trace;
  for (const o of runLoaderScenario(k, s, params, sampleBytes)) {
    io.out(`# ${o.step}`);
    for (const line of outputLines(o.result.stdout ?? '')) io.out(line);
    for (const line of o.result.stderr) io.out(line);
    if (o.result.status !== 0) io.out(`[exit status ${o.result.status}]`);
  }
  io.out('# dmesg');
  for (const r of k.log.records) io.out(KernelLog.line(r));
  if (trace) {
    io.out(`# the trace: ${k.m.log.length} events`);
    for (const e of k.m.log) io.out(sentence(e));
  }
  return 0;
}

function usage(io: CliIo, why?: string): number {
  io.err(why ? `${USAGE}: ${why}` : USAGE);
  return 1;
}
