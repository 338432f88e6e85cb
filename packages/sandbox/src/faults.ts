/**
 * Fault injection: latency, 5xx answers, timeouts (no answer) and connection
 * resets, per endpoint and by rate. `phase: 'after'` lets the call take effect
 * and then loses the answer — the case that tests idempotency for real.
 */

export const ENDPOINTS = [
  'methods.list',
  'invoices.create',
  'invoices.get',
  'card-token.create',
  'checkout.create',
  'checkout.status',
  'checkout.void',
  'transactions.get',
  'transactions.filter',
  'refunds.create',
  'refunds.get',
] as const;
export type EndpointName = (typeof ENDPOINTS)[number];

export type FaultKind = 'latency' | 'error' | 'timeout' | 'reset';

export interface FaultRule {
  endpoint: EndpointName | '*';
  kind: FaultKind;
  /** Probability per matching request, 0–1. Default 1. */
  rate?: number;
  /** `latency`: milliseconds (default 1000). `error`: HTTP status (default 500). */
  value?: number;
  /** `before` (default): nothing happens. `after`: the call takes effect, then the answer is lost. */
  phase?: 'before' | 'after';
  /** Applies to this many matching requests, then stops. Default: forever. */
  times?: number;
}

const KINDS: readonly FaultKind[] = ['latency', 'error', 'timeout', 'reset'];

export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

/**
 * Parses `endpoint:kind[=value][:rate=R][:after][:times=N]`, several joined by commas.
 * Example: `checkout.create:error=503:rate=0.5,*:latency=200`.
 */
export function parseFaults(spec: string): FaultRule[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseRule);
}

function parseRule(text: string): FaultRule {
  const [endpoint, kindPart, ...rest] = text.split(':');
  const [kind, value] = (kindPart ?? '').split('=');
  const rule: FaultRule = { endpoint: endpoint as FaultRule['endpoint'], kind: kind as FaultKind };
  if (value !== undefined) rule.value = Number(value);
  for (const part of rest) {
    const [k, v] = part.split('=');
    if (k === 'after' || k === 'before') rule.phase = k;
    else if (k === 'rate') rule.rate = Number(v);
    else if (k === 'times') rule.times = Number(v);
    else throw new FaultSpecError(`Unknown fault option "${part}" in "${text}" (use rate=, times=, after).`);
  }
  return validateFault(rule, text);
}

export function validateFault(rule: FaultRule, label = JSON.stringify(rule)): FaultRule {
  const endpoints: readonly string[] = ENDPOINTS;
  if (rule.endpoint !== '*' && !endpoints.includes(rule.endpoint)) {
    throw new FaultSpecError(`Unknown endpoint in fault "${label}": use * or one of ${ENDPOINTS.join(', ')}.`);
  }
  if (!KINDS.includes(rule.kind)) {
    throw new FaultSpecError(`Unknown fault kind in "${label}": use ${KINDS.join(', ')}.`);
  }
  if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) {
    throw new FaultSpecError(`Fault rate in "${label}" must be between 0 and 1.`);
  }
  if (rule.value !== undefined && !(Number.isFinite(rule.value) && rule.value >= 0)) {
    throw new FaultSpecError(`Fault value in "${label}" must be a non-negative number.`);
  }
  if (rule.kind === 'error' && rule.value !== undefined && (rule.value < 500 || rule.value > 599)) {
    throw new FaultSpecError(`An error fault's status in "${label}" must be 500–599.`);
  }
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times > 0)) {
    throw new FaultSpecError(`Fault times in "${label}" must be a positive whole number.`);
  }
  if (rule.phase !== undefined && rule.phase !== 'before' && rule.phase !== 'after') {
    throw new FaultSpecError(`Fault phase in "${label}" must be before or after.`);
  }
  return rule;
}

export class FaultInjector {
  #rules: { rule: FaultRule; left: number }[] = [];
  readonly #random: () => number;

  constructor(rules: FaultRule[], random: () => number) {
    this.#random = random;
    this.set(rules);
  }

  set(rules: FaultRule[]): void {
    this.#rules = rules.map((r) => ({ rule: validateFault(r), left: r.times ?? Number.POSITIVE_INFINITY }));
  }

  add(rule: FaultRule): void {
    this.#rules.push({ rule: validateFault(rule), left: rule.times ?? Number.POSITIVE_INFINITY });
  }

  list(): FaultRule[] {
    return this.#rules.filter((r) => r.left > 0).map((r) => r.rule);
  }

  /** The faults that fire for this request in this phase (each rule rolls its own dice). */
  pick(endpoint: EndpointName, phase: 'before' | 'after'): FaultRule[] {
    const fired: FaultRule[] = [];
    for (const entry of this.#rules) {
      const { rule } = entry;
      if (entry.left <= 0) continue;
      if (rule.endpoint !== '*' && rule.endpoint !== endpoint) continue;
      if ((rule.phase ?? 'before') !== phase) continue;
      if (this.#random() >= (rule.rate ?? 1)) continue;
      entry.left--;
      fired.push(rule);
    }
    return fired;
  }
}
