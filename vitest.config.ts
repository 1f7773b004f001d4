import { defineConfig } from 'vitest/config';

const roots = '{packages,services,infra,tests,bench}';

// One runner, two tiers: `unit` needs nothing; `int` (real Kafka/Redis) and `e2e` (whole
// processes over HTTP) share the infrastructure that the global setup brings up once per run.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [`${roots}/**/*.unit.test.ts`],
          exclude: ['**/node_modules/**'],
          environment: 'node',
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'int',
          include: [`${roots}/**/*.int.test.ts`, `${roots}/**/*.e2e.test.ts`],
          exclude: ['**/node_modules/**'],
          environment: 'node',
          globalSetup: ['tests/setup/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // One file at a time: each end-to-end file runs several processes beside Kafka and
          // Redis, and two such files at once overload a 2-core machine into timing failures.
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          // Fault tests: the whole system on a three-broker cluster of its own, brokers killed and
          // paused under load; the slowest tier, run last.
          name: 'fault',
          include: [`${roots}/**/*.fault.test.ts`],
          exclude: ['**/node_modules/**'],
          environment: 'node',
          globalSetup: ['tests/setup/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
