// The kernel's optional subsystems (src/sim/kernel/subsystems.ts): a run that needs one it was not
// given stops with MissingSubsystem, in words; the lab's run loads it and starts again, and the
// run it gets is the one a kernel with every subsystem makes, event for event.
import { describe, expect, it } from 'vitest';
import { bootKernelWith } from '../../src/sim/kernel/data';
import { kernelBodies } from '../../src/sim/kernel/hle-library';
import { MissingSubsystem, SUBSYSTEM_NAMES, type SubsystemName } from '../../src/sim/kernel/subsystems';
import { DEVICE_BODY_SOURCES, PCI_BODY_SOURCES } from '../../src/sim/kernel/hle-lazy';
import { deviceBodies } from '../../src/sim/kernel/hle-devices';
import { pciBodies } from '../../src/sim/kernel/hle-pci';
import { deleteModuleFromUser, insmodTool } from '../../src/sim/kernel/user-tools';
import { ALL_SUBSYSTEMS } from '../../src/sim/subsystems/all';
import { nodeData, nodeFile, nodeSources } from '../../src/lab/node-sources';
import { runScenario, runScenarioWith } from '../../src/lab/run';
import { LOADER_SCENARIOS } from '../../src/sim/scenarios/loader';

describe('optional subsystems', () => {
  it('are all loaded at once in Node', () => {
    expect(Object.keys(ALL_SUBSYSTEMS).sort()).toEqual([...SUBSYSTEM_NAMES].sort());
  });

  it('stop a run that needs one it lacks with MissingSubsystem, naming what needed it', () => {
    const k = bootKernelWith(nodeData(), kernelBodies, { loader: ALL_SUBSYSTEMS.loader });
    let thrown: unknown;
    try {
      insmodTool(k, 'signed.ko', nodeFile('signed.ko'), '');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(MissingSubsystem);
    expect((thrown as MissingSubsystem).subsystem).toBe('signatures');
    expect((thrown as Error).message).toBe("module_sig_check (a signed module) needs the kernel's signatures subsystem, which this run was not given");
  });

  it('stop init_module, finit_module and delete_module without the loader, in words', () => {
    const k = bootKernelWith(nodeData(), kernelBodies, {});
    const thrown = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const load = thrown(() => insmodTool(k, 'hello.ko', nodeFile('hello.ko'), ''));
    expect(load).toBeInstanceOf(MissingSubsystem);
    expect((load as MissingSubsystem).subsystem).toBe('loader');
    expect((load as Error).message).toBe("finit_module needs the kernel's loader subsystem, which this run was not given");
    const unload = thrown(() => deleteModuleFromUser(k, 'rmmod', 'hello'));
    expect((unload as MissingSubsystem).subsystem).toBe('loader');
    expect((unload as Error).message).toBe("delete_module needs the kernel's loader subsystem, which this run was not given");
  });

  it('register the PCI functions at boot under the sources hle-pci.ts gives them', () => {
    const real = pciBodies(() => {
      throw new Error('not called');
    });
    expect(Object.fromEntries(Object.entries(real).map(([name, b]) => [name, b.source]))).toEqual(PCI_BODY_SOURCES);
  });

  it('register the device-model functions at boot under the sources and in the order hle-devices.ts gives them', () => {
    const real = deviceBodies(() => {
      throw new Error('not called');
    });
    expect(Object.entries(real).map(([name, b]) => [name, b.source])).toEqual(Object.entries(DEVICE_BODY_SOURCES));
  });

  it('are loaded by the lab run as each is needed, and the run is the same as with all of them', async () => {
    const needs: Record<string, SubsystemName[]> = {};
    const ids = ['user-cli-gp', 'user-reads-kernel-pf', 'misc-autonode', 'hello-load', 'hello-read', 'signed-ok', 'null-deref-oops', 'pci-hotplug-autoload', 'builtin-boot', 'irq-roundtrip', 'userspace-driver-read'];
    for (const s of LOADER_SCENARIOS.filter((x) => ids.includes(x.id))) {
      const asked: SubsystemName[] = [];
      const lazy = await runScenario(s.id, {}, { ...nodeSources, subsystem: (name) => (asked.push(name), nodeSources.subsystem(name)) }, new Map(), {});
      const eager = runScenarioWith(nodeData(), s.id, {}, nodeFile, ALL_SUBSYSTEMS);
      expect(lazy.ok && eager.ok, s.id).toBe(true);
      if (!lazy.ok || !eager.ok) continue;
      expect(lazy.run.events.length, s.id).toBe(eager.run.events.length);
      expect(JSON.stringify(lazy.run.outcomes), s.id).toBe(JSON.stringify(eager.run.outcomes));
      expect(new Set(asked).size, `${s.id} loads each subsystem once`).toBe(asked.length);
      needs[s.id] = asked;
    }
    expect(needs['hello-load']).toEqual(['loader']);
    expect(needs['user-cli-gp']).toEqual([]);
    expect(needs['user-reads-kernel-pf']).toEqual([]);
    expect(needs['signed-ok']).toContain('signatures');
    expect(needs['null-deref-oops']).toContain('oops');
    expect(needs['pci-hotplug-autoload']).toContain('pci');
    expect(needs['builtin-boot']).toContain('builtin');
    expect(needs['irq-roundtrip']).toContain('deviceSteps');
    expect(needs['userspace-driver-read']).toContain('deviceSteps');
    expect(needs['hello-read']).not.toContain('devices'); // register_chrdev is in the kernel core
    expect(needs['misc-autonode']).toEqual(['loader', 'devices', 'tools']); // insmod, misc_register, ls
  }, 120_000);
});
