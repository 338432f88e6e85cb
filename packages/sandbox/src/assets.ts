/** Logos for the methods list (inline SVG: no files to ship). */
const svg = (body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 32" width="48" height="32">${body}</svg>`;

export const ASSETS: Record<string, string> = {
  'card.svg': svg(
    '<rect width="48" height="32" rx="4" fill="#1e3a8a"/><rect y="7" width="48" height="5" fill="#fbbf24"/><rect x="6" y="20" width="16" height="3" rx="1" fill="#e0e7ff"/>',
  ),
  'bank.svg': svg(
    '<rect width="48" height="32" rx="4" fill="#065f46"/><path d="M24 5 10 12h28z" fill="#d1fae5"/><rect x="13" y="14" width="3" height="9" fill="#d1fae5"/><rect x="22.5" y="14" width="3" height="9" fill="#d1fae5"/><rect x="32" y="14" width="3" height="9" fill="#d1fae5"/><rect x="10" y="24" width="28" height="3" fill="#d1fae5"/>',
  ),
  'wallet.svg': svg(
    '<rect width="48" height="32" rx="4" fill="#7c3aed"/><rect x="9" y="8" width="30" height="17" rx="3" fill="#ede9fe"/><circle cx="33" cy="16.5" r="2.5" fill="#7c3aed"/>',
  ),
  'paydo.svg': svg(
    '<rect width="48" height="32" rx="4" fill="#111827"/><text x="24" y="21" font-family="sans-serif" font-size="11" font-weight="700" fill="#fff" text-anchor="middle">Paydo</text>',
  ),
};
