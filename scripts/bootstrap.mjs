#!/usr/bin/env node
// Entry point of every root npm script: make sure pnpm and the workspace's dependencies are
// installed (a fresh clone needs nothing but Node and Java), then hand over to the real command.
// Plain JavaScript with no dependencies, because it runs before anything is installed.
import { spawnSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
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

// Supported Node lines (package.json "engines"). A Node outside them on PATH is not an error for
// the two commands: a supported one is brought from the npm registry's node-<platform> package,
// pinned and checked against its published integrity, into .tools/, and everything runs on it.
// GDHK_NODE_LINE=24 asks for a line explicitly (CI runs the unit tier on the oldest line).
const NODE_PINS = {
  24: { version: '24.22.3', integrity: { 'linux-x64': 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==' } },
  26: { version: '26.12.1', integrity: { 'linux-x64': 'sha512-jk5LMAmgHlPlPMWpsUrSOqNaEZG+11UNd35hWQ+p5/XGaelWuTqJ69IcAy/5xtPPN4d5ZRBNOGB6gLMCh2kL9A==' } },
};
const NEWEST_LINE = 26;
const engines = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node;

function supportedNode(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return (major === 24 && minor >= 6) || major === 26;
}

function ensureSupportedNode() {
  const requested = process.env.GDHK_NODE_LINE;
  const current = Number(process.version.slice(1).split('.')[0]);
  if (requested === undefined && supportedNode(process.version)) return;
  if (requested !== undefined && String(current) === requested && supportedNode(process.version)) return;
  const line = requested === undefined ? NEWEST_LINE : Number(requested);
  const pin = NODE_PINS[line];
  if (!pin) {
    // The same message as the processes' zod parsing (packages/config): this runs before zod is installed.
    console.error(`bootstrap: invalid configuration:\n  - GDHK_NODE_LINE: expected a supported Node line, one of ${Object.keys(NODE_PINS).join(', ')} (got ${JSON.stringify(requested)})`);
    process.exit(2);
  }
  const platform = `${process.platform}-${process.arch}`;
  const integrity = pin.integrity[platform];
  if (!integrity) {
    console.error(`bootstrap: node ${process.version} is outside the supported range ${engines}, and no pinned Node is known for ${platform}: install Node 24 or 26 and run again`);
    process.exit(1);
  }
  const dir = join(root, '.tools', `node-${pin.version}-${platform}`);
  const bin = join(dir, 'bin', 'node');
  if (!existsSync(bin)) {
    const staging = `${dir}.partial`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    console.error(`bootstrap: fetching Node ${pin.version} (node-${platform} from the npm registry) into ${dir}`);
    run('npm', ['pack', `node-${platform}@${pin.version}`, '--pack-destination', staging, '--silent', '--loglevel=error'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = join(staging, `node-${platform}-${pin.version}.tgz`);
    const digest = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    if (digest !== integrity) {
      console.error(`bootstrap: node-${platform}@${pin.version} does not match its pinned integrity (${digest} ≠ ${integrity}); refusing to run it`);
      process.exit(1);
    }
    run('tar', ['xzf', tarball, '-C', staging, '--strip-components=1', 'package/bin/node']);
    rmSync(tarball);
    renameSync(staging, dir);
  }
  console.error(`bootstrap: node ${process.version} is outside the supported range (${engines})${requested ? ` or not line ${requested}` : ''}; running on Node ${pin.version} from .tools/`);
  // Everything below runs on that Node: this script again, pnpm's engine check, the services the tests spawn.
  const child = spawn(bin, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PATH: `${dirname(bin)}:${process.env.PATH ?? ''}`, GDHK_NODE_LINE: String(line) },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 1 : 1)));
  return 'delegated';
}

const [name, ...rest] = process.argv.slice(2);
const target = commands[name];
if (!target) {
  console.error(`bootstrap: unknown command '${name}'; expected one of ${Object.keys(commands).join(', ')}`);
  process.exit(2);
}
// The typed HTTP clients (packages/client) are generated from the services' OpenAPI documents
// before anything type-checks, builds or tests them; they are build output, never committed.
function ensureGeneratedClients() {
  run(process.execPath, [join('packages', 'client', 'scripts', 'generate.ts')]);
}

function main() {
  if (ensureSupportedNode() === 'delegated') return;
  ensurePnpm();
  ensureDependencies();
  if (['start', 'test', 'check'].includes(name)) ensureGeneratedClients();
  const child = spawn(process.execPath, [...target, ...rest], { cwd: root, stdio: 'inherit' });
  // The child receives terminal signals itself (same process group); we only wait for it.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 1 : 1)));
}

main();
