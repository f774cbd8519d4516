import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { log } from '../core/log';
import type { Progress } from '../core/pipeline/context';

export interface ProgressBars {
  onProgress(progress: Progress): void;
  stop(): void;
}

/**
 * One bar per resource (documents read, rate, ETA) on a terminal; nothing elsewhere, where the
 * JSON logs say how far a backfill has got. While the bars draw, info logs would tear them, so
 * only warnings and errors print unless LOG_LEVEL asks for more.
 */
export function progressBars(stream: NodeJS.WriteStream = process.stderr): ProgressBars | undefined {
  if (!stream.isTTY) return undefined;
  if (!process.env.LOG_LEVEL) log.level = 'warn';
  const bars = new MultiBar(
    {
      stream,
      format: '{resource} |{bar}| {value}/{total} documents | {rate}/s | ETA {eta_formatted}',
      hideCursor: false, // an interrupted run must not leave the terminal without a cursor
      clearOnComplete: false,
      etaBuffer: 20,
    },
    Presets.shades_classic,
  );
  const started = new Map<string, { bar: SingleBar; at: number }>();
  const since = new Map<string, number>();
  return {
    onProgress({ resource, documents, total, finished }) {
      if (!since.has(resource)) since.set(resource, Date.now());
      let entry = started.get(resource);
      // A bar appears with the first page, when the source has said how many there are.
      if (!entry && documents === 0 && !finished) return;
      if (!entry) {
        entry = { bar: bars.create(total ?? documents, 0, { resource: resource.padEnd(10), rate: 0 }), at: since.get(resource)! };
        started.set(resource, entry);
      }
      // Until the source says how many there are (or when it never does), the count so far.
      entry.bar.setTotal(finished ? documents : Math.max(total ?? 0, documents));
      const seconds = (Date.now() - entry.at) / 1000;
      entry.bar.update(documents, { rate: seconds > 0 ? Math.round(documents / seconds) : 0 });
      if (finished) entry.bar.stop();
    },
    stop: () => bars.stop(),
  };
}
