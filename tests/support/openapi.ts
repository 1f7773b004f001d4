import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const redocly = join(root, 'tests', 'node_modules', '.bin', 'redocly');

export interface LintResult {
  readonly errors: number;
  readonly warnings: number;
  readonly output: string;
}

/** `redocly lint --extends recommended` over a document, with the counts from its JSON report. */
export async function redoclyLint(document: unknown): Promise<LintResult> {
  const dir = mkdtempSync(join(tmpdir(), 'gdhk-redocly-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const output = await new Promise<string>((resolve) => {
      execFile(redocly, ['lint', file, '--extends', 'recommended', '--format', 'json'], { cwd: dir, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, maxBuffer: 32 * 1024 * 1024 }, (_error, stdout, stderr) =>
        resolve(`${stdout}\n${stderr}`),
      );
    });
    const json = output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1);
    const report = JSON.parse(json) as { totals: { errors: number; warnings: number }; problems: unknown[] };
    return { errors: report.totals.errors, warnings: report.totals.warnings, output: JSON.stringify(report.problems, null, 2) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
