#!/usr/bin/env node
// Runs the built CLI; inside the workspace before a build, runs the TypeScript
// source directly (Node >= 22.18 strips types).
let cli;
try {
  cli = await import('../dist/doctor/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  cli = await import('../src/doctor/cli.ts');
}
process.exitCode = await cli.main();
