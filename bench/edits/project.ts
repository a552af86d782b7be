// The project the edits benchmark changes: 20 files of a small web app (HTML, CSS, 15 script
// modules, JSON, Markdown), about 60 KB, the same every run.

/** The file the one-line change is made in, and the line before and after. */
export const TARGET = {
  path: 'src/app.js',
  before: "const TITLE = 'Recipe Box';",
  after: "const TITLE = 'Recipe Box Pro';",
};

const MODULES = ['api', 'store', 'router', 'recipes', 'tags', 'search', 'format', 'storage', 'modal', 'toast', 'forms', 'images', 'auth', 'settings', 'list'];

function moduleSource(name: string, functions: number): string {
  const lines = [`// ${name}: part of the recipe box app.`, `import { state } from './store.js';`, ''];
  for (let i = 0; i < functions; i++) {
    lines.push(
      `export function ${name}Step${i}(items, options = {}) {`,
      `  const limit = options.limit ?? ${10 + i};`,
      `  const picked = items.filter((item) => item.${name}Score > ${i}).slice(0, limit);`,
      `  for (const item of picked) {`,
      `    item.seenAt = Date.now();`,
      `    state.touched.add(item.id);`,
      `  }`,
      `  return picked.map((item) => ({ id: item.id, title: item.title, score: item.${name}Score }));`,
      `}`,
      '',
    );
  }
  return lines.join('\n');
}

function appSource(): string {
  const lines = [
    "// The app's entry: reads the saved recipes, draws the list and wires the buttons.",
    "import { state } from './store.js';",
    ...MODULES.filter((name) => name !== 'store').map((name) => `import * as ${name} from './${name}.js';`),
    '',
    TARGET.before,
    "const VERSION = '1.4.2';",
    '',
  ];
  for (let i = 0; i < 24; i++) {
    lines.push(
      `function section${i}(root) {`,
      `  const el = document.createElement('section');`,
      `  el.className = 'section-${i}';`,
      `  el.textContent = \`\${TITLE} · part ${i}\`;`,
      `  root.append(el);`,
      `  return el;`,
      `}`,
      '',
    );
  }
  lines.push('document.title = TITLE;', "for (let i = 0; i < 24; i++) globalThis[`section${i}`]?.(document.body);", '');
  return lines.join('\n');
}

const page = [
  '<!doctype html>',
  '<html lang="en">',
  '<head>',
  '  <meta charset="utf-8">',
  '  <title>Recipe Box</title>',
  '  <link rel="stylesheet" href="styles.css">',
  '</head>',
  '<body>',
  '  <header><h1>Recipe Box</h1><input id="search" placeholder="Search recipes"></header>',
  '  <main id="list"></main>',
  ...Array.from({ length: 30 }, (_, i) => `  <template id="card-${i}"><article class="card"><h2></h2><p class="tags"></p><button>Open</button></article></template>`),
  '  <script type="module" src="src/app.js"></script>',
  '</body>',
  '</html>',
  '',
].join('\n');

const styles = Array.from({ length: 60 }, (_, i) => `.card-${i} { margin: ${i % 8}px; padding: ${(i % 5) + 4}px; border-radius: ${i % 6}px; color: #3${i % 10}3; }`).join('\n') + '\n';

/** Path → content. */
export function projectFiles(): Record<string, string> {
  const files: Record<string, string> = { 'index.html': page, 'styles.css': styles, [TARGET.path]: appSource() };
  for (const [i, name] of MODULES.entries()) files[`src/${name}.js`] = moduleSource(name, 3 + (i % 4));
  files['data.json'] = JSON.stringify({ recipes: Array.from({ length: 25 }, (_, i) => ({ id: i, title: `Recipe ${i}`, tags: ['quick', 'veggie'].slice(0, 1 + (i % 2)) })) }, null, 2) + '\n';
  files['README.md'] = '# Recipe Box\n\nKeep recipes, tag them, find them again.\n';
  return files;
}
