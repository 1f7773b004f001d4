#!/usr/bin/env node
// `npm run audit -- replay …` (and the `audit` bin, run inside the workspace): see USAGE in options.ts.
import { writeFileSync } from 'node:fs';
import { KeySetError } from '@gdhk/integrity';
import { LogUnavailableError } from '@gdhk/eventlog';
import { parseReplayCommand, USAGE, UsageError } from './options.ts';
import { progressBar } from './progress.ts';
import { renderReport, verificationPassed } from './render.ts';
import { replay } from './replay.ts';

const EXIT = { verified: 0, failed: 1, usage: 2, logUnavailable: 3, internal: 4 } as const;

const [command, ...rest] = process.argv.slice(2);
if (command === '--help' || command === '-h' || command === 'help') {
  console.log(USAGE);
  process.exit(EXIT.verified);
}
if (command !== 'replay') {
  console.error(`audit: unknown command '${command ?? ''}'\n${USAGE}`);
  process.exit(EXIT.usage);
}
if (rest.includes('--help') || rest.includes('-h')) {
  console.log(USAGE);
  process.exit(EXIT.verified);
}

try {
  const options = parseReplayCommand(rest, process.env);
  const bar = progressBar(process.stderr);
  const { report, context } = await replay({ ...options, onProgress: (progress) => bar.update(progress) });
  bar.done();
  const text = renderReport(report, context, options.format);
  if (options.out) writeFileSync(options.out, text);
  else process.stdout.write(text);
  const passed = verificationPassed(report);
  const { checkpoint } = report.verification;
  if (checkpoint && checkpoint.log !== 'same') console.error(`audit: checkpoint: ${checkpoint.note}`);
  const first = report.verification.failures[0];
  console.error(
    passed
      ? `audit: verified ${report.verification.events} events; digest ${report.digest}`
      : `audit: verification FAILED: ${report.verification.failures.length} failure(s) in ${report.verification.events} events; first: ${first?.reason} at ${first?.topic}${first?.partition === null ? '' : `/${first?.partition}@${first?.offset}`}`,
  );
  process.exitCode = passed ? EXIT.verified : EXIT.failed;
} catch (error) {
  if (error instanceof UsageError || error instanceof KeySetError) {
    console.error(`audit: ${error.message}\n${error instanceof UsageError ? USAGE : ''}`.trimEnd());
    process.exit(EXIT.usage);
  }
  if (error instanceof LogUnavailableError) {
    console.error(`audit: ${error.message}`);
    process.exit(EXIT.logUnavailable);
  }
  // Not a verdict on the log: exit apart from 1 so a script never reads a crash as tampering.
  console.error('audit: the replay itself failed:', error);
  process.exit(EXIT.internal);
}
