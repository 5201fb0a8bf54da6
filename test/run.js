// Runs the compiled mocha suites and prints the plain "N passed, N failed" line CI reads.
const mochaModule = require('mocha');
const Mocha = mochaModule.Mocha ?? mochaModule.default ?? mochaModule;
const path = require('node:path');
const fs = require('node:fs');

const outTest = path.join(__dirname, '..', 'out', 'test');
const mocha = new Mocha({ reporter: 'spec', timeout: 60000 });
const grep = process.argv[2];
if (grep) mocha.grep(grep);
(function add(dir) {
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isDirectory()) add(full);
    else if (name.endsWith('.test.js')) mocha.addFile(full);
  }
})(outTest);
mocha.loadFilesAsync().then(() => {
  const runner = mocha.run((failures) => {
    const { passes = 0, failures: failed = 0, pending = 0 } = runner.stats ?? {};
    console.log(`\n${passes} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
    process.exitCode = failures > 0 || passes === 0 ? 1 : 0;
  });
}, (error) => {
  console.error(error);
  console.log('\n0 passed, 1 failed');
  process.exitCode = 1;
});
