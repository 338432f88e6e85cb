import type { z } from 'zod';

/**
 * The contract drift check: how one of Paydo's answers differs from what the
 * client's schema expects. `problems` are fields the kit relies on and cannot
 * read (the kit would fail on this answer); `newFields` are fields the schema
 * does not declare (passed through untouched today, worth a look: Paydo may have
 * renamed something the kit reads).
 */
export interface Drift {
  problems: string[];
  newFields: string[];
}

export function driftOf(schema: z.ZodType, value: unknown): Drift {
  const result = schema.safeParse(value);
  const problems = result.success
    ? []
    : result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  const newFields = new Set<string>();
  collectUndeclared(schema, value, '', newFields, 0);
  return { problems, newFields: [...newFields].sort() };
}

// Zod 4 keeps a schema's definition on `_zod.def`; the walk reads only the kinds
// the client's answer schemas are built from.
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  element?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  transform?: (value: unknown, ctx: unknown) => unknown;
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function collectUndeclared(schema: z.ZodType, value: unknown, path: string, out: Set<string>, depth: number): void {
  if (depth > 12 || value === null || typeof value !== 'object') return;
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      if (def.innerType) collectUndeclared(def.innerType, value, path, out, depth + 1);
      return;
    case 'pipe': {
      if (!def.in || !def.out) return;
      const inner = defOf(def.in);
      if (inner.type === 'transform' && inner.transform) {
        // z.preprocess: the schema sees the value after the step (e.g. an unwrapped row).
        let next: unknown = value;
        try {
          next = inner.transform(value, { issues: [], value, addIssue() {} });
        } catch {
          return;
        }
        collectUndeclared(def.out, next, path, out, depth + 1);
      } else collectUndeclared(def.in, value, path, out, depth + 1);
      return;
    }
    case 'union': {
      const options = def.options ?? [];
      const fits = options.find((o) => o.safeParse(value).success) ?? options[0];
      if (fits) collectUndeclared(fits, value, path, out, depth + 1);
      return;
    }
    case 'array':
      if (Array.isArray(value) && def.element) {
        for (const item of value) collectUndeclared(def.element, item, `${path}[]`, out, depth + 1);
      }
      return;
    case 'object': {
      if (Array.isArray(value) || !def.shape) return;
      for (const [key, child] of Object.entries(value)) {
        const at = path ? `${path}.${key}` : key;
        const declared = def.shape[key];
        if (declared) collectUndeclared(declared, child, at, out, depth + 1);
        else out.add(at);
      }
      return;
    }
    default:
      return; // unknown, records, primitives: nothing declared to compare with
  }
}
