/** Finds a Chrome/Chromium binary: CHROME_PATH first, then the usual names on PATH. */
export function findChrome(): string;
/** Flags for a headless browser on a machine without network or sandbox. */
export const CHROME_ARGS: string[];
