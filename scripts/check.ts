// `npm run check`: the type checker and the linter over the whole workspace.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
let failed = false;
for (const [name, args] of [
  ['typecheck', [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']],
  // The desk runs in browsers: its own compiler settings (DOM, JSX).
  ['typecheck desk', [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join('apps', 'desk', 'tsconfig.json')]],
  ['lint', [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.']],
] as const) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [...args], { cwd: root, stdio: 'inherit' });
  const ok = result.status === 0;
  console.log(`${name}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  failed ||= !ok;
}
process.exit(failed ? 1 : 0);
