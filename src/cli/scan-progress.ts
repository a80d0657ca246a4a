import type { FileSource } from '../sources/types.js';

/** Where progress goes: standard error, and only when it is a terminal. */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface FileScanProgress {
  /** The same sources, counting the files each claims and the roles each reads. */
  wrap(sources: readonly FileSource[]): FileSource[];
  /** Erase the progress line (before the report or any message is written). */
  end(): void;
}

/** Redraws at most this often (ms), except the last state of each source. */
const REDRAW_MS = 100;

/** `CI=true`, `CI=1`, `CI=yes` (GitHub, GitLab, CircleCI, Travis...): a log, not a terminal. */
export function inCi(env: Record<string, string | undefined>): boolean {
  const v = env.CI?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== 'false' && v !== '0';
}

/**
 * A one-line progress display of a file scan on standard error (`files 120/300 · roles 450 · 85 files/s ·
 * 320 roles/s`), redrawn in place. Undefined (no progress at all) when standard error is not a terminal,
 * in CI, or with --quiet, so logs and reports never hold it. Sources read their files in batches, so it
 * moves source by source.
 */
export function fileScanProgress(
  sink: ProgressSink,
  opts: { quiet: boolean; env: Record<string, string | undefined>; now?: () => number },
): FileScanProgress | undefined {
  if (!sink.isTTY || opts.quiet || inCi(opts.env)) return undefined;
  const now = opts.now ?? Date.now;
  const started = now();
  let claimed = 0;
  let done = 0;
  let roles = 0;
  let drawn = false;
  let lastDraw = 0;
  const draw = (force: boolean) => {
    const t = now();
    if (!force && t - lastDraw < REDRAW_MS) return;
    lastDraw = t;
    drawn = true;
    const secs = Math.max((t - started) / 1000, 0.001);
    const rate = (n: number) => (n / secs >= 10 ? Math.round(n / secs) : Math.round((n / secs) * 10) / 10);
    sink.write(
      `\r\x1b[2Ktrustaudit: files ${done}/${claimed} · roles ${roles} · ${rate(done)} files/s · ${rate(roles)} roles/s`,
    );
  };
  return {
    wrap: (sources) =>
      sources.map(
        (s): FileSource => ({
          name: s.name,
          claim(file) {
            const mine = s.claim(file);
            if (mine) {
              claimed++;
              draw(false);
            }
            return mine;
          },
          async load(files, ctx) {
            const result = await s.load(files, ctx);
            done += files.length;
            roles += result.roles.length;
            draw(true);
            return result;
          },
          // Groups read in worker threads are counted as they come back.
          ...(s.split ? { split: (files, ctx) => s.split!(files, ctx) } : {}),
          loadedElsewhere(files, result) {
            s.loadedElsewhere?.(files, result);
            done += files.length;
            roles += result.roles.length;
            draw(false);
          },
        }),
      ),
    end() {
      if (drawn) sink.write('\r\x1b[2K');
    },
  };
}
