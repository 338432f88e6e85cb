/**
 * `sessionStorage` that cannot break the form: a sandboxed frame (where reading the property
 * throws), a full quota or a corrupt value all mean "nothing was kept".
 */
export function readKept(key: string): Record<string, string> {
  try {
    // Nothing kept reads as `null`, and Object.entries(null) throws: both end in the `catch`.
    // Only strings come back: whatever else another script left there never reaches an input.
    return Object.fromEntries(
      Object.entries(JSON.parse(sessionStorage.getItem(key) as string)).filter(
        (e): e is [string, string] => typeof e[1] === 'string',
      ),
    );
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
