export type Engine = 'chromium' | 'firefox' | 'webkit';
export const ENGINES: Engine[];
export const ENGINE_TITLES: Record<Engine, string>;

export type FoundEngine =
  | { engine: Engine; missing: string }
  | { engine: 'chromium' | 'firefox'; executablePath: string; missing?: undefined }
  | { engine: 'webkit'; driver: string; binary: string; xvfb?: string; missing?: undefined };

/** Where an engine's binaries are on this machine, or why it is missing. */
export function locateEngine(engine: Engine): FoundEngine;
/** The engines chosen by PAYDO_ENGINES (comma-separated), all three by default. */
export function selectedEngines(): Engine[];
/** puppeteer-core launch options for Chromium or Firefox. */
export function puppeteerLaunchOptions(found: FoundEngine): {
  browser: 'chrome' | 'firefox';
  executablePath: string;
  args?: string[];
  headless?: boolean;
  extraPrefsFirefox?: Record<string, unknown>;
};
/** Starts Xvfb (without a display) and WebKitWebDriver; the capabilities open MiniBrowser. */
export function startWebKitDriver(
  found: FoundEngine,
): Promise<{ url: string; capabilities: Record<string, unknown>; stop(): Promise<void> }>;
