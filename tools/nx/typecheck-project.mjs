// `nx run <project>:typecheck`: type-checks one project's files with tsconfig.base.json's options, pulling in
// only the libs it imports (paths), so a small lib checks in a second instead of the whole workspace.
// `npm run typecheck` (CI) still checks everything in one program.
import path from 'node:path';
import ts from 'typescript';

const projectRoot = process.argv[2];
if (!projectRoot) {
  console.error('usage: node tools/nx/typecheck-project.mjs <projectRoot>');
  process.exit(2);
}
const workspaceRoot = path.resolve(import.meta.dirname, '../..');
const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => report([d]) };
const config = ts.getParsedCommandLineOfConfigFile(path.join(workspaceRoot, 'tsconfig.base.json'), { noEmit: true }, host);
if (config.errors.length) report(config.errors);

const prefix = path.join(workspaceRoot, projectRoot) + path.sep;
const rootNames = config.fileNames.filter((f) => path.resolve(f).startsWith(prefix));
const program = ts.createProgram({ rootNames, options: config.options, projectReferences: config.projectReferences });
const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.length) report(diagnostics);
console.log(
  `typecheck ${projectRoot}: ${rootNames.length} files (${program.getSourceFiles().filter((f) => !f.fileName.includes('/node_modules/')).length} with imports), no errors`,
);

function report(list) {
  const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => workspaceRoot, getNewLine: () => ts.sys.newLine };
  console.error(ts.formatDiagnosticsWithColorAndContext(list, formatHost));
  console.error(`typecheck ${projectRoot}: ${list.length} error(s)`);
  process.exit(1);
}
