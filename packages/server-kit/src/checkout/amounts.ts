/** "12.5" and "12.50" are the same amount; compared as exact decimals, never floats. */
export function sameAmount(a: string, b: string): boolean {
  const norm = (s: string) => {
    const m = /^(\d+)(?:\.(\d+))?$/.exec(s.trim());
    if (!m) return null;
    return `${BigInt(m[1] ?? '0')}.${(m[2] ?? '').replace(/0+$/, '')}`;
  };
  const x = norm(a);
  return x !== null && x === norm(b);
}
