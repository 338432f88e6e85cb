import { defineConfig, type Plugin } from 'vite';

interface Node {
  type?: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/**
 * Shrinks the static text of `css` and `html` templates: the JS minifier keeps
 * template text as written, indentation and comments included. Bytes saved here
 * are bytes no shopper sees, and the 15 KB budget spends them where one does.
 */
function minifyTemplates(): Plugin {
  return {
    name: 'paydo-minify-templates',
    enforce: 'post',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !/\b(css|html)`/.test(code)) return null;
      const edits: { start: number; end: number; text: string }[] = [];
      const visit = (node: unknown): void => {
        if (!node || typeof node !== 'object') return;
        if (Array.isArray(node)) {
          for (const child of node) visit(child);
          return;
        }
        const n = node as Node;
        if (n.type === 'TaggedTemplateExpression') {
          const tag = (n.tag as { name?: string }).name;
          const quasis = (n.quasi as { quasis: Node[] }).quasis;
          if (tag === 'css' || tag === 'html') {
            for (const q of quasis) {
              const raw = code.slice(q.start, q.end);
              const text =
                tag === 'css'
                  ? raw
                      .replace(/\/\*[\s\S]*?\*\//g, '')
                      .replace(/\s+/g, ' ')
                      .replace(/ ?([{};,>]) ?/g, '$1')
                      .replace(/: /g, ':')
                      .replace(/;}/g, '}')
                      .replace(/([ :,(])0\./g, '$1.')
                      .replace(/\[([\w-]+~?=)'([\w-]+)'\]/g, '[$1$2]')
                      // Every element has one part: [part~=x] and [part=x] match the same.
                      .replace(/\[part~=/g, '[part=')
                  : raw
                      .replace(/>\s*\n\s*/g, '>')
                      .replace(/\s*\n\s*</g, '<')
                      .replace(/\s*\n\s*/g, ' ')
                      // part="field" → part=field: a value of letters, digits and dashes needs no quotes.
                      .replace(/(\s[\w-]+)="([\w-]+)"/g, '$1=$2')
                      // <input … /> → <input …>: HTML ignores the slash.
                      .replace(/\s*\/>/g, '>');
              if (text !== raw) edits.push({ start: q.start, end: q.end, text });
            }
          }
        }
        for (const key of Object.keys(n)) if (key !== 'type') visit(n[key]);
      };
      visit(this.parse(code));
      let out = code;
      for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
      return { code: out, map: null };
    },
  };
}

// One ESM file with Lit inside, served as /paydo-checkout.js, and one small file per language
// beside it (paydo-checkout-de.js…), imported only when a page asks for that language. Meant for
// browsers, not for re-bundling, so whitespace is minified too (lib mode alone keeps it).
export default defineConfig({
  plugins: [minifyTemplates()],
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'paydo-checkout.js' },
    target: 'es2022',
    sourcemap: true,
    minify: true,
    rolldownOptions: { output: { minify: true, comments: false, chunkFileNames: 'paydo-checkout-[name].js' } },
  },
});
