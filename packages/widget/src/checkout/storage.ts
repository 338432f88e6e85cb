/**
 * `sessionStorage` that cannot break the form: a sandboxed frame (where reading the property
 * throws), a full quota or a corrupt value all mean "nothing was kept".
 */
export function readKept(key: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(key) ?? '{}');
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    // Only strings come back: a value another script left there cannot reach the inputs as an object.
    return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string'));
  } catch {
    return {};
  }
}

export function keep(key: string, value: Record<string, string | undefined> | null): void {
  try {
    if (value) sessionStorage.setItem(key, JSON.stringify(value));
    else sessionStorage.removeItem(key);
  } catch {
    // Not kept: the payer types the e-mail again after 3-D Secure, nothing worse.
  }
}
