import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Polls VS Code's own diagnostics store until healthlint's findings for `uri` satisfy `accept`. */
async function healthlintDiagnostics(uri: vscode.Uri, accept: (list: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const list = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'healthlint');
    if (accept(list)) return list;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`healthlint diagnostics for ${uri.fsPath} never matched`);
}

const codeOf = (diagnostic: vscode.Diagnostic) => (typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code));

describe('healthlint in the real VS Code extension host', () => {
  let uri: vscode.Uri;

  before(async () => {
    uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'clinic-openapi.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  });

  it('activates and publishes findings with the rule id, its docs link and exact ranges', async () => {
    const extension = vscode.extensions.getExtension('healthlint.healthlint');
    assert.ok(extension?.isActive, 'extension not active');
    const diagnostics = await healthlintDiagnostics(uri, (list) => list.length >= 2);
    const http = diagnostics.find((diagnostic) => codeOf(diagnostic) === 'server-plaintext-http')!;
    assert.equal(http.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([http.range.start.line, http.range.start.character, http.range.end.character], [3, 9, 38]);
    assert.match(String((http.code as { target: vscode.Uri }).target), /server-plaintext-http\.md$/);
    assert.ok(diagnostics.some((diagnostic) => codeOf(diagnostic) === 'operation-auth-missing'));
  });

  it('hover explains the rule and how to fix it', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(3, 15));
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(text, /healthlint server-plaintext-http/);
    assert.match(text, /How to fix/);
  });

  it('the https quick fix edits the document and the finding goes away', async () => {
    const [http] = (await healthlintDiagnostics(uri, (list) => list.length > 0)).filter((diagnostic) => codeOf(diagnostic) === 'server-plaintext-http');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, http!.range);
    const fix = actions.find((action) => action.title === 'Use https (changes the API contract)');
    assert.ok(fix?.edit, `no https fix among: ${actions.map((action) => action.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.lineAt(3).text, '  - url: https://clinic.example.org/api');
    await healthlintDiagnostics(uri, (list) => !list.some((diagnostic) => codeOf(diagnostic) === 'server-plaintext-http'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('the lint-workspace command is registered by the server', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('healthlint.lintWorkspace'));
    assert.ok(commands.includes('healthlint.restartServer'));
  });
});
