// Makes sure the browser engines exist for the browser tests. On a Debian machine
// where we are root, installs the missing ones from Debian's packages (one
// apt-get update for all); elsewhere the caller reports what is missing.
import { execFileSync } from 'node:child_process';
import { locateEngine } from './engines.mjs';

const DEBIAN_PACKAGES = {
  chromium: ['chromium'],
  firefox: ['firefox-esr'],
  webkit: ['webkit2gtk-driver', 'xvfb'],
};

/** Each engine's location, or why it is missing, after trying to install the missing ones. */
export function ensureEngines(engines) {
  let found = engines.map(locateEngine);
  const missing = found.filter((f) => f.missing).map((f) => f.engine);
  const canApt = process.getuid?.() === 0 && hasCommand('apt-get');
  if (missing.length && canApt) {
    const packages = missing.flatMap((engine) => DEBIAN_PACKAGES[engine]);
    console.log(`Installing browser engines from Debian for the browser tests: ${packages.join(' ')}`);
    run('apt-get update -qq');
    // One package that cannot be had must not keep the others out.
    if (!run(`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages.join(' ')}`)) {
      for (const pkg of packages) run(`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkg}`);
    }
    found = engines.map(locateEngine);
  }
  return found;
}

function run(command) {
  try {
    execFileSync('sh', ['-c', command], { stdio: 'inherit' });
    return true;
  } catch {
    return false;
  }
}

function hasCommand(name) {
  return run(`command -v ${name} >/dev/null`);
}
