// Starts `doudi lsp` for .doudi files; everything else is the server's.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("doudi");
  const importRoots = config.get("importRoots", []);
  const args = ["lsp", ...importRoots.flatMap((root) => ["-I", root])];
  client = new LanguageClient("doudi", "Doudi",
    { command: config.get("path", "doudi"), args },
    { documentSelector: [{ scheme: "file", language: "doudi" }], initializationOptions: { importRoots } });
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
