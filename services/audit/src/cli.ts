#!/usr/bin/env node
// `npm run audit -- replay …` / `verify-proof …` (and the `audit` bin, run inside the workspace): see USAGE in options.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { KeySetError, readKeyRingFile, type KeyRing } from '@gdhk/integrity';
import { LogUnavailableError } from '@gdhk/eventlog';
import { parseProveCommand, parseReplayCommand, parseVerifyProofCommand, USAGE, UsageError } from './options.ts';
import { proveEvent } from './prove.ts';
import { progressBar } from './progress.ts';
import { renderReport, verificationPassed } from './render.ts';
import { replay } from './replay.ts';
import { verifyProofText, type ProofVerdict } from './verify-proof.ts';

const EXIT = { verified: 0, failed: 1, usage: 2, logUnavailable: 3, internal: 4 } as const;

const [command, ...rest] = process.argv.slice(2);
if (command === '--help' || command === '-h' || command === 'help') {
  console.log(USAGE);
  process.exit(EXIT.verified);
}
if (command !== 'replay' && command !== 'verify-proof' && command !== 'prove') {
  console.error(`audit: unknown command '${command ?? ''}'\n${USAGE}`);
  process.exit(EXIT.usage);
}
if (rest.includes('--help') || rest.includes('-h')) {
  console.log(USAGE);
  process.exit(EXIT.verified);
}
if (command === 'verify-proof') verifyProof();
else if (command === 'prove') await proveCommand();
else await replayCommand();

async function proveCommand(): Promise<void> {
  try {
    const options = parseProveCommand(rest, process.env);
    const search = await proveEvent(options);
    if (!search.found) {
      console.error(`audit: no proof: ${search.reason}: ${search.detail}`);
      process.exitCode = EXIT.failed;
      return;
    }
    const text = `${JSON.stringify(search.proof, null, 2)}\n`;
    if (options.out) writeFileSync(options.out, text);
    else process.stdout.write(text);
    const { seal } = search.proof;
    console.error(`audit: proof of event ${options.eventId} (${search.event.topic}/${search.event.partition}@${search.event.offset}): leaf ${search.proof.leafIndex} of ${seal.count} under ${seal.side} seal ${seal.sequence} (${search.seal.topic}/${search.seal.partition}@${search.seal.offset}), signed by key ${seal.signature.keyId}`);
  } catch (error) {
    exitOnError(error, 'the search itself failed');
  }
}

function verifyProof(): void {
  let verdict: ProofVerdict;
  try {
    const options = parseVerifyProofCommand(rest, process.env);
    let text: string;
    try {
      text = readFileSync(options.proofFile, 'utf8');
    } catch (error) {
      throw new UsageError(`${options.proofFile}: ${(error as Error).message}`);
    }
    let ring: KeyRing;
    try {
      ring = readKeyRingFile(options.keySetFile);
    } catch (error) {
      if (error instanceof KeySetError) throw error;
      throw new UsageError(`--keys ${options.keySetFile}: ${(error as Error).message}`);
    }
    verdict = verifyProofText(text, ring);
  } catch (error) {
    exitOnError(error, 'checking the proof itself failed');
  }
  process.stdout.write(`${JSON.stringify(verdict)}\n`);
  console.error(
    verdict.verified
      ? `audit: proof verified: event ${String(verdict.eventId)} is leaf ${verdict.leafIndex} of the ${verdict.seal.count} events sealed by ${verdict.side} seal ${verdict.seal.sequence} of ${verdict.seal.topic}/${verdict.seal.partition}, signed by key ${verdict.keyId}`
      : `audit: proof FAILED: ${verdict.reason}: ${verdict.detail}`,
  );
  process.exitCode = verdict.verified ? EXIT.verified : EXIT.failed;
}

async function replayCommand(): Promise<void> {
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
    exitOnError(error, 'the replay itself failed');
  }
}

/** Bad input exits 2, an unreadable log 3, anything else 4: never 1, which says the log failed to verify. */
function exitOnError(error: unknown, what: string): never {
  if (error instanceof UsageError || error instanceof KeySetError) {
    console.error(`audit: ${error.message}\n${error instanceof UsageError ? USAGE : ''}`.trimEnd());
    process.exit(EXIT.usage);
  }
  if (error instanceof LogUnavailableError) {
    console.error(`audit: ${error.message}`);
    process.exit(EXIT.logUnavailable);
  }
  // Not a verdict on the log: exit apart from 1 so a script never reads a crash as tampering.
  console.error(`audit: ${what}:`, error);
  process.exit(EXIT.internal);
}
