/**
 * Where Paydo's and Payop's pages (and the official clients) disagree about
 * an answer, the emulator can answer each way. Every switch has a name, its
 * values, and a default: what the current Paydo pages show. A merchant's
 * integration that passes against every value passes against whichever one
 * the real service gives. The server kit's `docs/paydo-differences.md` cites the sources.
 */

export const VARIANT_CHOICES = {
  /** Method list rows: flat (the API pages) or wrapped as `{paymentMethod: {…, isEnabled}}` (read by Paydo's WooCommerce plugin and Payop's demo app). */
  methodRows: ['flat', 'wrapped'],
  /** Method rows with `formType` (older Payop pages) or without it, the card method known by its `type` only (current Payop invoice page). */
  methodFormType: ['present', 'absent'],
  /** A created invoice's id: in `data` and the `identifier` header (current pages), only in the header with `data: ""` (older pages), or only in `data`. */
  invoiceId: ['body-and-header', 'header', 'body'],
  /** Success status of card token and refund creation: 200 (the pages) or 201 (Paydo's own API tests). */
  createdStatus: ['200', '201'],
  /**
   * Where a created refund's id is: the `identifier` header and beside `data` in the body (Paydo's
   * createRefund page: it names the header, its example has the body), the header only (Payop's
   * refund page, Paydo's API tests), or the body only.
   */
  refundId: ['header-and-body', 'header', 'body'],
  /**
   * An unknown invoice: as each endpoint's own Paydo page says (invoice lookup 422, card
   * tokenization 404), or 422 everywhere, or 404 everywhere (older pages, the fail-response page).
   */
  invoiceNotFound: ['per-page', '422', '404'],
  /** The unknown invoice's sentence: "Invoice not found" (Paydo's pages) or "Invoice (<id>) not found" (Payop's invoice page). */
  invoiceNotFoundMessage: ['plain', 'with-id'],
  /** A status answer with no step to take: `form: []` (Paydo's page) or no `form` key at all (Payop's page). */
  emptyStatusForm: ['empty-array', 'absent'],
} as const satisfies Record<string, readonly [string, ...string[]]>;

export type VariantName = keyof typeof VARIANT_CHOICES;
export type SandboxVariants = { [K in VariantName]: (typeof VARIANT_CHOICES)[K][number] };

export const DEFAULT_VARIANTS: SandboxVariants = Object.fromEntries(
  Object.entries(VARIANT_CHOICES).map(([name, values]) => [name, values[0]]),
) as SandboxVariants;

/** Checks names and values; unknown ones are named in a TypeError. */
export function resolveVariants(input: Partial<Record<string, string>> = {}): SandboxVariants {
  const problems: string[] = [];
  const out: Record<string, string> = { ...DEFAULT_VARIANTS };
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const choices = (VARIANT_CHOICES as Record<string, readonly string[]>)[name];
    if (!choices) problems.push(`unknown variant "${name}" (known: ${Object.keys(VARIANT_CHOICES).join(', ')})`);
    else if (!choices.includes(value)) problems.push(`variant ${name} must be one of ${choices.join(', ')}`);
    else out[name] = value;
  }
  if (problems.length) throw new TypeError(`paydo-sandbox: invalid variants: ${problems.join('; ')}.`);
  return out as SandboxVariants;
}

/** `name=value,name=value` (the CLI's `--variant` and `PAYDO_SANDBOX_VARIANTS`). */
export function parseVariantList(text: string): Partial<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new TypeError(`paydo-sandbox: a variant is written name=value, not "${part}".`);
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/**
 * Variant sets that together switch every non-default value at least once:
 * set i takes each switch's (i+1)-th value, or its last one. Few sets, so a
 * test suite can run its flows against each without running them once per value.
 */
export function switchedVariantSets(): Partial<SandboxVariants>[] {
  const widest = Math.max(...Object.values(VARIANT_CHOICES).map((v) => v.length)) - 1;
  const sets: Partial<SandboxVariants>[] = [];
  for (let i = 1; i <= widest; i++) {
    const set: Record<string, string> = {};
    for (const [name, values] of Object.entries(VARIANT_CHOICES))
      set[name] = values[Math.min(i, values.length - 1)] as string;
    sets.push(set as Partial<SandboxVariants>);
  }
  return sets;
}

/** A short label for a variant set, for test names. */
export function describeVariants(set: Partial<SandboxVariants>): string {
  const changed = Object.entries(set).filter(([k, v]) => DEFAULT_VARIANTS[k as VariantName] !== v);
  return changed.length ? changed.map(([k, v]) => `${k}=${v}`).join(' ') : 'default';
}
