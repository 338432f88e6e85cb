// Generates custom-elements.json from the element's JSDoc (`pnpm build` runs it).
// Internal reactive state (`state: true`) is not public API: it is dropped here.
const INTERNAL_STATE = new Set(['view', 'checkout', 'selected', 'values', 'errors', 'announcement']);

export default {
  globs: ['src/**/*.ts'],
  // The test driver runs in Node, beside the element, and the language dictionaries are data
  // (their keys are en.ts's, documented in the README): neither is the element's API.
  exclude: ['src/testing/**', 'src/translations/!(en|localize).ts'],
  litelement: true,
  plugins: [
    {
      name: 'paydo-public-api-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const decl of mod.declarations ?? []) {
            if (!decl.tagName) continue;
            decl.attributes = decl.attributes?.filter((a) => !INTERNAL_STATE.has(a.name));
            decl.members = decl.members?.filter((m) => !INTERNAL_STATE.has(m.name));
            decl.events = decl.events?.filter((e) => e.name.startsWith('paydo-'));
          }
        }
      },
    },
  ],
};
