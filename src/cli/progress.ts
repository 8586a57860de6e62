import cliProgress from 'cli-progress';
import { humanBytes, type Io } from './output.js';

export interface Progress {
  add(bytes: number): void;
  stop(): void;
}

/** Shown only for transfers over this size, and only when stderr is a terminal. */
export const progressThreshold = 4 * 1024 * 1024;

/** A progress bar on stderr for long transfers; silent for small ones, pipes and --json. */
export function startProgress(io: Io, label: string, total: number, enabled: boolean): Progress {
  if (!enabled || total < progressThreshold || !io.stderr.isTTY) return { add: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: `${label} [{bar}] {percentage}% | {done} / {size} | {speed}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let done = 0;
  bar.start(total, 0, { done: humanBytes(0), size: humanBytes(total), speed: '' });
  return {
    add(bytes) {
      done += bytes;
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(done, { done: humanBytes(done), speed: `${humanBytes(done / seconds)}/s` });
    },
    stop: () => bar.stop(),
  };
}
