import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/**
 * The healthlint extension: a thin client. The language server (dist/server.js) does all the work with the
 * same engine as the CLI; this file starts it, forwards settings, and shows a findings count in the status bar.
 */
let client: LanguageClient | undefined;

function serverOptions(context: vscode.ExtensionContext): ServerOptions {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  return { run: { module, transport: TransportKind.ipc }, debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--inspect=6019'] } } };
}

function clientOptions(): LanguageClientOptions {
  const settings = vscode.workspace.getConfiguration('healthlint');
  // In an untrusted folder nothing the workspace configures is used: no custom config path.
  const configPath = vscode.workspace.isTrusted ? settings.get<string>('configPath') || undefined : undefined;
  return {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'json' },
    ],
    initializationOptions: { configPath, run: settings.get<string>('run', 'onType') },
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/{.healthlint.yaml,.healthlint.yml,.healthlint.json,*.yaml,*.yml,*.json}') },
  };
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  if (!vscode.workspace.getConfiguration('healthlint').get<boolean>('enable', true)) return;
  client = new LanguageClient('healthlint', 'healthlint', serverOptions(context), clientOptions());
  await client.start();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  status.command = 'workbench.actions.view.problems';
  const updateStatus = () => {
    let count = 0;
    for (const [, diagnostics] of vscode.languages.getDiagnostics()) count += diagnostics.filter((diagnostic) => diagnostic.source === 'healthlint').length;
    status.text = `$(shield) healthlint: ${count}`;
    status.tooltip = `${count} healthlint finding${count === 1 ? '' : 's'}: show the Problems panel`;
    status.show();
  };
  context.subscriptions.push(status, vscode.languages.onDidChangeDiagnostics(updateStatus));
  updateStatus();

  context.subscriptions.push(
    vscode.commands.registerCommand('healthlint.restartServer', async () => {
      await stop();
      await start(context);
    }),
    vscode.commands.registerCommand('healthlint.showOutput', () => client?.outputChannel.show()),
    // `healthlint.lintWorkspace` is the server's command: the language client registers it when the server starts.
    vscode.commands.registerCommand('healthlint.showRuleDocumentation', async () => {
      const ruleId = await vscode.window.showInputBox({ prompt: 'healthlint rule id', placeHolder: 'operation-auth-missing' });
      if (ruleId && /^[a-z0-9-]+$/.test(ruleId)) {
        await vscode.env.openExternal(vscode.Uri.parse(`https://github.com/healthlint/healthlint/blob/main/rules/openapi/${ruleId}.md`));
      }
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('healthlint.enable') || event.affectsConfiguration('healthlint.configPath') || event.affectsConfiguration('healthlint.run')) {
        await stop();
        await start(context);
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      await stop();
      await start(context);
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}
