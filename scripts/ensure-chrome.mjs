// Makes sure a Chrome/Chromium exists for the browser tests. On a Debian
// machine where we are root, installs Debian's chromium; elsewhere says what to do.
import { execFileSync } from 'node:child_process';
import { findChrome } from './chrome-path.mjs';

export function ensureChrome() {
  try {
    return findChrome();
  } catch (error) {
    const canApt = process.getuid?.() === 0 && hasCommand('apt-get');
    if (!canApt) throw error;
    console.log('No Chromium found: installing Debian\'s "chromium" package for the browser tests…');
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], {
      stdio: 'inherit',
    });
    return findChrome();
  }
}

function hasCommand(name) {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
