import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// `@opentelemetry/api` is an optional peer: an app without it must work exactly as before. Node 24
// (the repository's `node` devDependency) runs the fixture with the package made unresolvable.
const node = fileURLToPath(new URL('../../../node_modules/.bin/node', import.meta.url));

it('without @opentelemetry/api installed, the kit pays and answers its health route', async () => {
  const { stdout } = await promisify(execFile)(
    node,
    ['--conditions=source', fileURLToPath(new URL('./fixtures/without-otel-api.ts', import.meta.url))],
    { timeout: 60_000 },
  );
  expect(JSON.parse(stdout.trim().split('\n').at(-1) as string)).toEqual({
    pay: { type: 'done', status: 'success' },
    health: { store: 'ok', paydo: 'ok' },
    apiLoadable: false,
  });
});
