// extensionTestsPath entry (the @vscode/test-electron contract): runs the Mocha suites inside VS Code's real
// extension host, where `vscode` is the editor's own API. Output goes through console.log to the test driver.
import * as path from 'node:path';

export async function run(): Promise<void> {
  const mochaModule = require('mocha') as { Mocha?: unknown; default?: unknown };
  const Mocha = (mochaModule.Mocha ?? mochaModule.default ?? mochaModule) as new (options: object) => {
    addFile(file: string): void;
    loadFilesAsync(): Promise<void>;
    run(done: (failures: number) => void): void;
  };
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  mocha.addFile(path.join(__dirname, 'extension.test.js'));
  await mocha.loadFilesAsync();
  await new Promise<void>((resolve, reject) => mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve())));
}
