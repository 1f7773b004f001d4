import type { ReplayProgress } from './replay.ts';

export interface ProgressBar {
  update(progress: ReplayProgress): void;
  done(): void;
}

const silent: ProgressBar = { update: () => undefined, done: () => undefined };

/** Events and events/s on one redrawn line, at most five times a second; nothing unless the stream is a terminal. */
export function progressBar(stream: NodeJS.WriteStream, now: () => number = Date.now): ProgressBar {
  if (!stream.isTTY) return silent;
  const started = now();
  let drawn = 0;
  let last: ReplayProgress | undefined;
  const draw = (progress: ReplayProgress) => {
    const fraction = progress.total === 0n ? 1 : Number((progress.done * 1000n) / progress.total) / 1000;
    const width = 24;
    const filled = Math.min(width, Math.round(fraction * width));
    const seconds = Math.max(0.001, (now() - started) / 1000);
    const rate = Math.round(progress.events / seconds);
    const line = `audit replay [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${progress.events.toLocaleString('en')} events  ${rate.toLocaleString('en')} events/s`;
    stream.write(`\r${line.slice(0, Math.max(20, (stream.columns ?? 100) - 1))}\u001b[K`);
  };
  return {
    update(progress) {
      last = progress;
      if (now() - drawn < 200) return;
      drawn = now();
      draw(progress);
    },
    done() {
      if (last) draw(last);
      stream.write('\n');
    },
  };
}
