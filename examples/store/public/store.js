// After a confirmed payment, the payer goes to the order's page.
document.addEventListener('paydo-success', (event) => {
  const element = event.target.closest?.('paydo-checkout') ?? event.target;
  const ref = element.getAttribute?.('order');
  if (ref) setTimeout(() => location.assign(`/orders/${encodeURIComponent(ref)}`), 1200);
});
