/** The checkout page with `paydo_txid={{txid}}`, which Paydo fills in when it sends the payer back. */
export function withTxidParam(url: string): string {
  const u = new URL(url);
  u.searchParams.delete('paydo_txid');
  // Paydo fills {{txid}}; URLSearchParams would escape the braces, so it is appended by hand.
  return `${u.toString()}${u.search ? '&' : '?'}paydo_txid={{txid}}`;
}
