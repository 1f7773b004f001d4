// `npm run check`: the type checker, the linter and the dependency check over the whole workspace.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const knip = join(root, 'node_modules', 'knip', 'bin', 'knip.js');
let failed = false;
for (const [name, ...commands] of [
  ['typecheck', [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']],
  // The desk runs in browsers: its own compiler settings (DOM, JSX).
  ['typecheck desk', [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join('apps', 'desk', 'tsconfig.json')]],
  ['lint', [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.']],
  // Each workspace declares what it imports and nothing else (knip.ts): every file first, then
  // production code against the workspace's own `dependencies` alone.
  ['dependencies', [knip, '--no-progress'], [knip, '--no-progress', '--strict', '--include', 'unlisted,unresolved,binaries']],
] as const) {
  const started = Date.now();
  // Every command of a step runs, so that one failure does not hide another's findings.
  const ok = commands.map((args) => spawnSync(process.execPath, [...args], { cwd: root, stdio: 'inherit' }).status === 0).every(Boolean);
  console.log(`${name}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  failed ||= !ok;
}
process.exit(failed ? 1 : 0);
