// Bundles the VS Code extension (client) and the language server into dist/ with esbuild, so the .vsix
// carries two files instead of node_modules. `vscode` is provided by the editor at run time.
const esbuild = require('esbuild');

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: false, minify: false, logLevel: 'warning', legalComments: 'none' };
Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/bin.ts'], outfile: 'dist/server.js' }),
]).catch((error) => {
  console.error(error.message);
  process.exit(1);
});
