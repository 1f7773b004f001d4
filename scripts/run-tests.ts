// `npm test`: every tier in one vitest run, then one plain closing line taken from vitest's JSON report.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const reportDir = join(root, '.reports');
const reportFile = join(reportDir, 'vitest.json');
mkdirSync(reportDir, { recursive: true });
rmSync(reportFile, { force: true });

const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const args = [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...process.argv.slice(2)];
const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));

const exitCode: number = await new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTests: number;
}
let report: VitestJsonReport;
try {
  report = JSON.parse(readFileSync(reportFile, 'utf8')) as VitestJsonReport;
} catch (error) {
  console.error(`run-tests: vitest wrote no report at ${reportFile} (${String(error)})`);
  process.exit(exitCode === 0 ? 1 : exitCode);
}
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`\n${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (report.numTotalTests === 0) {
  console.error('run-tests: no test ran');
  process.exit(1);
}
process.exit(exitCode);
