// Models: nothing new — the "deviceSteps" subsystem: scenario steps in which a device pulses its
// interrupt line, grep reads /proc/interrupts, a user-space driver serves a device, or a read() is
// measured (scenarios/device-steps.ts, kernel/irq.ts, kernel/grep-tool.ts, kernel/userspace-driver.ts).
// Simplifies: nothing; see the files it gathers.
import { runDeviceStep } from '../scenarios/device-steps';

export const deviceSteps = { runDeviceStep };
