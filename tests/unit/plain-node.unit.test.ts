import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every process runs its TypeScript as it is, with Node's own type stripping: `node <file.ts>`,
// no loader (docs/decisions.md). tsx is not installed, so nothing can import it at run time.
const root = join(import.meta.dirname, '..', '..');

const workspaceDirs = [
  root,
  ...['packages', 'services', 'apps'].flatMap((parent) => readdirSync(join(root, parent)).map((name) => join(root, parent, name))),
  join(root, 'infra'),
  join(root, 'tests'),
  join(root, 'bench'),
].filter((dir) => statSync(join(dir, 'package.json'), { throwIfNoEntry: false })?.isFile());

// Ways a process could still be started through tsx, or a worker register it.
const tsxLaunch = [
  /--(?:import|loader|require|experimental-loader)[= ]+tsx\b/,
  /['"]--(?:import|loader|require|experimental-loader)['"]\s*,\s*['"]tsx/,
  /\btsx\/(?:esm|cjs)\b/,
  /\bfrom\s+['"]tsx['"/]/,
  /\bimport\(\s*['"]tsx['"/]/,
  /^#!.*\btsx\b/m,
];

function trackedTextFiles(): string[] {
  const listed = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' });
  expect(listed.status, listed.stderr).toBe(0);
  return listed.stdout
    .split('\0')
    .filter((file) => /\.(?:[cm]?[jt]s|json|ya?ml|md|sh)$/.test(file) || file.startsWith('.ci/'))
    .filter((file) => statSync(join(root, file), { throwIfNoEntry: false })?.isFile());
}

describe('processes run on plain node', () => {
  it('tsx is not installed: no workspace package can resolve it', () => {
    expect(workspaceDirs.length).toBeGreaterThan(10);
    for (const dir of workspaceDirs) {
      const require = createRequire(join(dir, 'package.json'));
      for (const specifier of ['tsx', 'tsx/esm', 'tsx/esm/api', 'tsx/package.json']) {
        expect(() => require.resolve(specifier), `${specifier} resolves from ${relative(root, dir) || '.'}`).toThrow();
      }
    }
  });

  it('no dependency list or lockfile names tsx', () => {
    for (const dir of workspaceDirs) {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
        expect(Object.keys((manifest[field] as Record<string, string> | undefined) ?? {}), `${relative(root, dir) || '.'} ${field}`).not.toContain('tsx');
      }
    }
    expect(readFileSync(join(root, 'pnpm-lock.yaml'), 'utf8')).not.toMatch(/\btsx@/);
  });

  it('no launch site starts a process or a worker through tsx', () => {
    const offenders: string[] = [];
    for (const file of trackedTextFiles()) {
      if (file === relative(root, import.meta.filename)) continue;
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .forEach((line, index) => {
          // bench/*/RESULTS.md keep the command each recorded run was made with.
          if (file.endsWith('RESULTS.md') && line.startsWith('- command: ')) return;
          if (tsxLaunch.some((pattern) => pattern.test(line))) offenders.push(`${file}:${index + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it('a TypeScript entry point runs as `node <file.ts>`, with nothing on stderr', () => {
    const keysDir = mkdtempSync(join(tmpdir(), 'gdhk-plain-node-'));
    try {
      const run = spawnSync(process.execPath, [join(root, 'services/side-service/src/token-cli.ts'), '--side', 'joint', '--role', 'auditor'], {
        cwd: root,
        env: { ...process.env, NODE_OPTIONS: '', GDHK_KEYS_DIR: keysDir },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      // Type stripping is stable on every Node in "engines": no ExperimentalWarning, nor any other.
      expect(run.stderr).toBe('');
    } finally {
      rmSync(keysDir, { recursive: true, force: true });
    }
  });
});
