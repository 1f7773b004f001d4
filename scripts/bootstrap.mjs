#!/usr/bin/env node
// Entry point of every root npm script: make sure pnpm and the workspace's dependencies are
// installed (a fresh clone needs nothing but Node and Java), then hand over to the real command.
// Plain JavaScript with no dependencies, because it runs before anything is installed.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const toolsDir = join(root, '.tools', `pnpm-${pnpmVersion}`);
// pnpm 12 ships as a native executable, linked into .bin by npm.
const pnpmBin = join(toolsDir, 'node_modules', '.bin', 'pnpm');

const commands = {
  start: ['infra/src/start-all.ts'],
  test: ['scripts/run-tests.ts'],
  token: ['services/side-service/src/token-cli.ts'],
  audit: ['services/audit/src/cli.ts'],
  infra: ['infra/src/cli.ts'],
  check: ['scripts/check.ts'],
};

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    console.error(`bootstrap: '${cmd} ${args.join(' ')}' exited with ${result.status ?? result.signal}`);
    process.exit(result.status ?? 1);
  }
}

function ensurePnpm() {
  if (existsSync(pnpmBin)) return;
  console.error(`bootstrap: installing pnpm ${pnpmVersion} into ${toolsDir}`);
  run('npm', ['install', '--prefix', toolsDir, '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${pnpmVersion}`]);
}

function ensureDependencies() {
  // Quiet when everything is already installed; --frozen-lockfile so a run never rewrites the lock.
  run(pnpmBin, ['install', '--frozen-lockfile', '--prefer-offline', '--reporter=silent'], {
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
}

const [name, ...rest] = process.argv.slice(2);
const target = commands[name];
if (!target) {
  console.error(`bootstrap: unknown command '${name}'; expected one of ${Object.keys(commands).join(', ')}`);
  process.exit(2);
}
ensurePnpm();
ensureDependencies();

const child = spawn(process.execPath, ['--import', 'tsx', ...target, ...rest], { cwd: root, stdio: 'inherit' });
// The child receives terminal signals itself (same process group); we only wait for it.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 1 : 1)));
