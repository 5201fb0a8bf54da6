import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { allRules } from '../../rules/index';
import { resolveConfig } from '../../server/src/engine/config';
import { lintText } from '../../server/src/engine/linter';

const settings = resolveConfig({ extends: 'all' }, allRules, process.cwd()).settings;
const dir = path.join(__dirname, 'suppressions');

const yaml = (directive: string) => `openapi: 3.0.3
info: {title: t, version: '1'}
servers:
  - url: http://api.example-clinic.org  ${directive.startsWith('# healthlint-disable-line') ? directive : ''}
${directive.startsWith('# healthlint-disable-line') ? '' : directive}
paths: {}
`;

async function plaintextFindings(file: string, text: string): Promise<number> {
  const result = await lintText(path.join(dir, file), text, settings, true);
  return result.findings.filter((finding) => finding.ruleId === 'server-plaintext-http').length;
}

describe('suppression comments', () => {
  it('finds the plaintext server without a directive', async () => {
    assert.equal(await plaintextFindings('none.yaml', yaml('')), 1);
  });

  it('honours -line, -file and a -next-line above the finding, in YAML', async () => {
    assert.equal(await plaintextFindings('line.yaml', yaml('# healthlint-disable-line server-plaintext-http -- dev only')), 0);
    assert.equal(await plaintextFindings('file.yaml', yaml('# healthlint-disable-file server-plaintext-http -- dev only')), 0);
    const nextLine = yaml('').replace('  - url: http', '  # healthlint-disable-next-line server-plaintext-http -- dev only\n  - url: http');
    assert.equal(await plaintextFindings('next-line.yaml', nextLine), 0);
  });

  it('names the rule: a directive for another rule suppresses nothing', async () => {
    assert.equal(await plaintextFindings('other.yaml', yaml('# healthlint-disable-file phi-in-example -- synthetic data')), 1);
  });

  it('finds no directive inside YAML text: a block scalar or a quoted string that mentions one', async () => {
    const inBlock = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n  description: |\n    To silence a rule, write # healthlint-disable-file\n    at the top.\nservers: [{url: 'http://api.example-clinic.org'}]\npaths: {}\n";
    assert.equal(await plaintextFindings('block.yaml', inBlock), 1);
    const quoted = "openapi: 3.0.3\ninfo: {title: 'see # healthlint-disable-file', version: '1'}\nservers: [{url: 'http://api.example-clinic.org'}]\npaths: {}\n";
    assert.equal(await plaintextFindings('quoted.yaml', quoted), 1);
  });

  it('finds no directive in JSON, which has no comments: a "#" inside a string is text', async () => {
    const json = JSON.stringify({
      openapi: '3.0.3',
      info: { title: 't', version: '1', description: '# healthlint-disable-file server-plaintext-http -- not a comment' },
      servers: [{ url: 'http://api.example-clinic.org' }],
      paths: {},
    }, null, 2);
    assert.equal(await plaintextFindings('spec.json', json), 1);
  });
});
