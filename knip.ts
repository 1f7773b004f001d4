import type { KnipConfig } from 'knip';

// The dependency check of `npm run check` (scripts/check.ts). Every workspace of
// pnpm-workspace.yaml declares what its own files import: a dependency imported but not declared
// (unlisted), declared but never imported (unused), or a file nothing reaches fails the check.
// check.ts runs knip twice: as is (every file, tests too), then with --strict, where only a
// workspace's own `dependencies` count for its production code (no devDependencies, nothing
// from the root), so a package never works only because the root happens to install something.
//
// What the first run cannot tell: knip counts the root's devDependencies for every workspace,
// and the root needs vitest itself (vitest.config.ts, the `vitest` binary), so a workspace whose
// tests import vitest without declaring it would still pass. Each workspace with tests declares
// vitest all the same (a devDependency; tests/ lists everything, vitest too, as `dependencies`,
// since its exported support/ imports it). Nothing else a workspace imports is left only at the
// root (fast-check moved to the workspaces whose tests use it).
//
// Entry points below are the files started by path (processes, CLIs, worker threads, benches).
// Package exports and bins, package.json scripts (packages/catalogue/scripts/build-plan.ts,
// packages/client/scripts/generate.ts), vitest's config (test files, global setup), eslint's
// config and the desk's vite entry (index.html → src/main.tsx) are found by knip itself.
// Entries marked ! are production code, which --strict holds to the workspace's `dependencies`.
const config: KnipConfig = {
  workspaces: {
    '.': {
      entry: ['scripts/*.{mjs,ts}'],
    },
    // A service's server.ts is started as a process (infra/src/start-all.ts, tests/support/system.ts).
    'services/joint-api': {
      entry: ['src/server.ts!'],
    },
    'services/audit': {
      // The CLI is found as the package's bin; the shard worker is loaded by path as a worker thread.
      entry: ['src/shard-worker.ts!'],
    },
    'services/projection': {
      // verify-worker.ts is loaded by path as a worker thread (verify-pool.ts).
      entry: ['src/server.ts!', 'src/verify-worker.ts!'],
    },
    'services/side-service': {
      // token-cli.ts is `npm run token` (scripts/bootstrap.mjs); scripts/ are measurements run by path.
      entry: ['src/server.ts!', 'src/token-cli.ts!', 'scripts/*.ts'],
    },
    infra: {
      // `npm run infra` and `npm start` (scripts/bootstrap.mjs).
      entry: ['src/cli.ts!', 'src/start-all.ts!'],
    },
    bench: {
      // Each benchmark is run by path; the servers and workers it starts are loaded by path too.
      // profile.ts is a CLI run by path (`node bench/profile.ts FILE.cpuprofile`).
      entry: ['*/run.ts', '*/*-worker.ts', '*/*-server.ts', 'profile.ts'],
    },
    tests: {
      ignoreDependencies: [
        // Run as a program by path (tests/node_modules/.bin/redocly, tests/support/openapi.ts),
        // never imported, so knip cannot see it used.
        '@redocly/cli',
      ],
    },
  },
  ignoreBinaries: [
    // System programs, not npm packages; each one's caller says how to get it when missing.
    'java', // runs the project's own Kafka broker (infra/src/kafka.ts); README: Node and Java
    'mvn', // fetches that broker from Maven Central (infra/src/kafka.ts)
    'redis-server', // the private Redis of `npm start` and the tests when REDIS_URL is unset (infra/src/redis.ts)
    'apt-get', // installs Debian's chromium for the browser tier when it runs as root (tests/support/browser.ts)
  ],
  exclude: [
    // Unused exports: about twenty helpers and types are exported but used only by their own
    // module. Dropping the `export`s is a code change, not a dependency one; `knip --include
    // exports,types` lists them.
    'exports',
    'types',
  ],
};

export default config;
