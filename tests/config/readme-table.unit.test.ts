import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { environments } from '@gdhk/config';
import { describe, expect, it } from 'vitest';

// README, Configuration: "the table lists every variable any process or CLI reads". The variables
// come from the code: the schemas every process parses its environment with (packages/config,
// environments.ts), and the direct `process.env.NAME` reads, which only scripts/bootstrap.mjs (it
// runs before zod is installed) and the test harness (tests/README.md) may have.

const root = join(import.meta.dirname, '..', '..');

interface Row {
  readonly variable: string;
  readonly cells: readonly string[];
}

/** The rows of the first table under `## heading` whose header starts with `| variable |`. */
function tableRows(file: string, heading: string): Row[] {
  const text = readFileSync(join(root, file), 'utf8');
  const section = text.split(/^## /m).find((part) => part.startsWith(`${heading}\n`));
  if (!section) throw new Error(`${file} has no section "## ${heading}"`);
  const lines = section.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| variable |'));
  if (start < 0) throw new Error(`${file} "## ${heading}" has no "| variable |" table`);
  const rows: Row[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [first = '', ...cells] = line.slice(1, line.endsWith('|') ? -1 : undefined).split('|').map((cell) => cell.trim());
    const variable = /^`([A-Z][A-Z0-9_]*)`$/.exec(first)?.[1];
    if (!variable) throw new Error(`${file}: a row's variable is not one backticked NAME: ${line}`);
    rows.push({ variable, cells });
  }
  return rows;
}

/** Every source file of the repository (not dependencies, build output or tools). */
function sourceFiles(dir = root): string[] {
  const skip = new Set(['node_modules', '.git', '.tools', '.data', '.reports', '.keys', 'dist', 'generated', '.libs']);
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return skip.has(entry.name) ? [] : sourceFiles(join(dir, entry.name));
    return /\.(ts|tsx|mjs|js|cjs)$/.test(entry.name) ? [join(dir, entry.name)] : [];
  });
}

const thisFile = relative(root, import.meta.filename);
const files = sourceFiles().map((file) => ({ path: relative(root, file), text: readFileSync(file, 'utf8') })).filter((file) => file.path !== thisFile);
/** The test harness: tests/ and every package's own test/ folder. */
const isTestHarness = (path: string) => path.startsWith('tests/') || /(^|\/)test\//.test(path);

/** Names read one by one (`process.env.NAME`, `process.env['NAME']`), not written or deleted. */
function directReads(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/(delete\s+)?process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([^'"]+)['"]\s*\])(\s*=(?!=))?/g)) {
    if (match[1] || match[4]) continue;
    names.push(match[2] ?? match[3] ?? '');
  }
  return names;
}

/** A schema field, as far as this test looks at it (tests/ does not depend on zod itself). */
interface Field {
  safeParse(value: unknown): { success: boolean; data?: unknown };
}

type Outcome = { kind: 'required' } | { kind: 'optional' } | { kind: 'default'; value: string };

/** What a schema field does when the variable is unset, its default rendered as the README writes it. */
function outcomeOf(field: Field): Outcome {
  const result = field.safeParse(undefined);
  if (!result.success) return { kind: 'required' };
  const value: unknown = result.data;
  if (value === undefined) return { kind: 'optional' };
  const text = Array.isArray(value) ? value.join(',') : String(value);
  return { kind: 'default', value: text.startsWith(`${root}/`) ? relative(root, text) : text };
}

/** variable → process (the README's "read by" name) → what it does when unset. */
const read = new Map<string, Map<string, Outcome[]>>();
for (const [process, schemas] of Object.entries(environments)) {
  for (const schema of schemas as readonly { shape: Record<string, Field> }[]) {
    for (const [variable, field] of Object.entries(schema.shape)) {
      const byProcess = read.get(variable) ?? new Map<string, Outcome[]>();
      byProcess.set(process, [...(byProcess.get(process) ?? []), outcomeOf(field)]);
      read.set(variable, byProcess);
    }
  }
}
// The operating system's own: the bootstrap puts the Node it fetched first on PATH for the command it runs.
const systemVariables = new Set(['PATH']);
for (const variable of directReads(readFileSync(join(root, 'scripts', 'bootstrap.mjs'), 'utf8'))) {
  if (!systemVariables.has(variable)) read.set(variable, new Map([['bootstrap', []]]));
}

/** Defaults the code computes on the machine it runs on, which the README describes in words. */
const computed: Record<string, { readonly value: string; readonly readme: string }> = {
  GDHK_PROJECTION_VERIFY_WORKERS: { value: String(Math.max(1, availableParallelism())), readme: 'one per core' },
};

describe('the README configuration table matches the code', () => {
  const rows = tableRows('README.md', 'Configuration');
  const byName = new Map(rows.map((row) => [row.variable, row]));

  it('reads the environment only through the config schemas (bootstrap.mjs and the test harness aside)', () => {
    const offenders = files
      .filter((file) => file.path !== 'scripts/bootstrap.mjs' && !isTestHarness(file.path))
      .flatMap((file) => [
        ...directReads(file.text).map((name) => `${file.path}: process.env.${name}`),
        // Destructuring the environment is a read past the schemas too.
        ...[...file.text.matchAll(/}\s*=\s*process\.env\b/g)].map(() => `${file.path}: destructures process.env`),
      ]);
    expect(offenders).toEqual([]);
  });

  it('has one row per variable, and a row for every variable any process or CLI reads', () => {
    expect(rows.map((row) => row.variable).length).toBe(byName.size);
    expect([...byName.keys()].sort()).toEqual([...read.keys()].sort());
  });

  it('names, for each variable, exactly the processes and CLIs that read it', () => {
    const known = new Set([...Object.keys(environments), 'bootstrap']);
    for (const [variable, byProcess] of read) {
      const cell = byName.get(variable)?.cells[1] ?? '';
      const readBy = cell.split(',').map((name) => name.trim().replace(/^`|`$/g, ''));
      for (const name of readBy) expect(known, `${variable}: "read by" names ${name}`).toContain(name);
      expect(readBy.sort(), variable).toEqual([...byProcess.keys()].sort());
    }
  });

  it("gives each variable's default as the code has it", () => {
    for (const [variable, byProcess] of read) {
      const cell = byName.get(variable)?.cells[0] ?? '';
      const outcomes = [...byProcess.values()].flat();
      if (outcomes.length === 0) continue; // bootstrap.mjs: parsed by hand
      const defaults = [...new Set(outcomes.flatMap((outcome) => (outcome.kind === 'default' ? [outcome.value] : [])))];
      const expected = computed[variable];
      if (expected) {
        expect(defaults, variable).toEqual([expected.value]);
        expect(cell, variable).toBe(expected.readme);
      } else if (cell === '(required)') {
        expect(outcomes.every((outcome) => outcome.kind === 'required'), `${variable} is not required everywhere`).toBe(true);
      } else if (cell.startsWith('(unset')) {
        expect(outcomes.every((outcome) => outcome.kind === 'optional'), `${variable} has a default or is required somewhere`).toBe(true);
      } else if (cell.startsWith('(empty')) {
        expect(defaults, variable).toEqual(['']);
      } else if (/^`[^`]*`$/.test(cell)) {
        expect(defaults, `${variable}: one default, the README's`).toEqual([cell.slice(1, -1)]);
      } else {
        // Described in words (PORT: one per process): every default the code has is in the words.
        expect(defaults.length, `${variable}: a default described in words needs defaults in the code`).toBeGreaterThan(0);
        for (const value of defaults) expect(cell, variable).toContain(value);
      }
    }
  });
});

describe("tests/README.md's table of the test harness's variables matches the harness", () => {
  it('lists exactly the variables the test harness reads', () => {
    const rows = tableRows('tests/README.md', 'Environment');
    const harness = new Set(files.filter((file) => isTestHarness(file.path)).flatMap((file) => directReads(file.text)));
    expect(rows.map((row) => row.variable).sort()).toEqual([...harness].sort());
  });
});
