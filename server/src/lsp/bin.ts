#!/usr/bin/env node
// `healthlint-language-server --stdio`: the language server for any LSP client (VS Code, Neovim, Emacs, Helix).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
