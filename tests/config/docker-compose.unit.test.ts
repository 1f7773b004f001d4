import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environments } from '@gdhk/config';
import { kafkaImage } from '@gdhk/infra';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// docker-compose.yml is not run here (no Docker engine), so it is checked against the code: the
// same Kafka as infra/, a Node the project supports, variables the processes read.

const root = join(import.meta.dirname, '..', '..');
const file = join(root, 'docker-compose.yml');

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string | number>;
}
const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const nodeServices = Object.entries(compose.services).filter(([, service]) => service.image?.startsWith('node:'));

/** Which schema reads the environment of the entry a compose command runs. */
const processOfEntry: Record<string, keyof typeof environments> = {
  'services/side-service/src/server.ts': 'side-service',
  'services/projection/src/server.ts': 'projection',
  'services/joint-api/src/server.ts': 'joint-api',
  'infra/src/cli.ts': 'infra',
};
const variablesOf = (process: keyof typeof environments) => new Set((environments[process] as readonly { shape: object }[]).flatMap((schema) => Object.keys(schema.shape)));

/** A compose CLI, when one is installed: the plugin (`docker compose`) or docker-compose 1.x. */
function composeCli(): string[] | undefined {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    const [bin = '', ...args] = command;
    if (spawnSync(bin, [...args, 'version'], { stdio: 'ignore' }).status === 0) return command;
  }
  return undefined;
}

describe('docker-compose.yml', () => {
  it("runs the Kafka version infra/ runs (infra/kafka/pom.xml)", () => {
    expect(compose.services.kafka?.image).toBe(kafkaImage());
  });

  it('runs the services on a Node line the project supports (package.json engines)', () => {
    const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(nodeServices.length).toBeGreaterThan(0);
    for (const [name, service] of nodeServices) {
      const major = /^node:(\d+)-/.exec(service.image ?? '')?.[1];
      expect(engines.split('||').map((range) => /\^(\d+)\./.exec(range.trim())?.[1]), `${name}: ${service.image}`).toContain(major);
    }
  });

  it('starts entries that exist, with variables the process it starts reads', () => {
    for (const [name, service] of nodeServices) {
      const command = (service.command ?? []).join(' ');
      const entries = Object.keys(processOfEntry).filter((entry) => command.includes(entry));
      expect(entries.length, `${name}: ${command}`).toBeGreaterThan(0);
      for (const entry of entries) expect(existsSync(join(root, entry)), entry).toBe(true);
      // The variables of the shared anchor go to every service (init runs the infra CLI, which
      // reads fewer): each must be read by one of the processes of the file, the rest by this one.
      const readHere = new Set(entries.flatMap((entry) => [...variablesOf(processOfEntry[entry] ?? 'infra')]));
      const readAnywhere = new Set(Object.values(processOfEntry).flatMap((process) => [...variablesOf(process)]));
      const shared = new Set(Object.keys(compose.services.init?.environment ?? {}));
      for (const variable of Object.keys(service.environment ?? {})) {
        expect(shared.has(variable) ? readAnywhere : readHere, `${name}: ${variable}`).toContain(variable);
      }
    }
  });

  const cli = composeCli();
  // On CI the compose CLI must be there (Debian's docker-compose; no engine needed to parse): a
  // missing one fails rather than skips. A developer's machine without it skips, saying so.
  it.runIf(cli !== undefined || process.env.CI !== undefined)(`parses with \`${cli?.join(' ') ?? 'docker compose'} config\``, () => {
    expect(cli, 'no compose CLI on this CI machine: apt-get install docker-compose').toBeDefined();
    const result = spawnSync(cli?.[0] ?? '', [...(cli ?? []).slice(1), '--file', file, 'config', '--quiet'], { cwd: root, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
  });
});
