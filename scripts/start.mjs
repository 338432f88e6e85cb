// The README's "run" command lands here after install and build: starts the
// embedded Paydo emulator (no keys needed) and prints where everything is.
import { createSandbox, TEST_CARDS } from '@paydo-checkout/sandbox';

const port = Number(process.env.SANDBOX_PORT ?? 8099);
const sandbox = await createSandbox({ port }).catch((error) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `Port ${port} is in use: set SANDBOX_PORT to another port.`
      : `Could not start the sandbox: ${error.message}`,
  );
  process.exit(1);
});

console.log(`Paydo sandbox: ${sandbox.url}`);
console.log(`  API base URL: ${sandbox.apiUrl}`);
console.log(`  Dashboard:    ${sandbox.dashboardUrl}`);
console.log(
  `  Keys:         public ${sandbox.project.publicKey}, secret ${sandbox.project.secretKey}, JWT ${sandbox.project.jwt}`,
);
console.log('  Test cards:');
for (const card of TEST_CARDS) console.log(`    ${card.pan.replace(/(\d{4})(?=\d)/g, '$1 ')}  ${card.description}`);
console.log('Press Ctrl-C to stop.');

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    sandbox.close().then(() => process.exit(0));
  });
}
