import type { SandboxControl } from './control.ts';
import { resolveOptions, type SandboxOptions, type SandboxProject } from './options.ts';
import { buildSandbox } from './server.ts';

export interface Sandbox {
  /** The emulator's origin, e.g. http://127.0.0.1:41234. */
  url: string;
  /** Paydo's base URL on the emulator: `${url}/v1`. Give this to the client as `baseUrl`. */
  apiUrl: string;
  /** Dashboard page. */
  dashboardUrl: string;
  /** The project keys the emulator checks (development defaults unless given). */
  project: SandboxProject;
  control: SandboxControl;
  close(): Promise<void>;
}

/** Starts a local Paydo on `options.port` (default: any free port). */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const resolved = resolveOptions(options);
  const { app, ctx, control } = buildSandbox(resolved);
  await app.listen({ port: resolved.port, host: resolved.host });
  const url = ctx.origin();
  return {
    url,
    apiUrl: `${url}/v1`,
    dashboardUrl: `${url}/_sandbox`,
    project: resolved.project,
    control,
    close: () => app.close(),
  };
}

export { type SandboxClockView, SandboxControl, SandboxControlError, type SandboxSettings } from './control.ts';
export { ENDPOINTS, type EndpointName, type FaultKind, type FaultRule, FaultSpecError, parseFaults } from './faults.ts';
export type { IpnAttempt, IpnBody } from './ipn/delivery.ts';
export { DEFAULT_PROJECT, IPN_SCHEDULES, type SandboxOptions, type SandboxProject } from './options.ts';
export { SANDBOX_METHODS, TEST_CARDS } from './test-data.ts';
export {
  DEFAULT_VARIANTS,
  describeVariants,
  parseVariantList,
  resolveVariants,
  type SandboxVariants,
  switchedVariantSets,
  VARIANT_CHOICES,
  type VariantName,
} from './variants.ts';
