// Models: nothing — which kind of scenario step a step is, by its keys, so that the scenario runner
// (loader.ts) can tell which subsystem runs it (kernel/subsystems.ts) before that is loaded.
// Simplifies: nothing.
import type { DriverModelStep } from './driver-model-steps';
import type { DeviceStep } from './device-steps';

export function isDriverModelStep(step: object): step is DriverModelStep {
  return ['install', 'depmod', 'modprobe', 'plug', 'unplug', 'udevd', 'lsmod'].some((key) => key in step);
}

/** A step device-steps.ts runs: a pulsed interrupt line, a program with a device clock or a measurement, grep, serve, compare. */
export function isDeviceStep(step: object): step is DeviceStep {
  return ['irq', 'measure', 'grep', 'serve', 'compare'].some((key) => key in step);
}
