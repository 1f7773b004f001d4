import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
export const DESK_DIR = join(root, 'apps', 'desk');
export const DESK_DIST = join(DESK_DIR, 'dist');

/** Builds the joint secretariat's desk (apps/desk) into apps/desk/dist, which joint-api serves at `/`. */
export function buildDesk(): void {
  const vite = join(DESK_DIR, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) throw new Error(`vite is not installed in ${DESK_DIR}; run the install (npm start / npm test do it)`);
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: DESK_DIR, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the desk failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
}
