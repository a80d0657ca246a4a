/** Where progress goes: stderr, and only when it is a terminal and the user did not ask for quiet. */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ScanProgress {
  accountsTotal(n: number): void;
  accountDone(): void;
  roles(n: number): void;
  error(): void;
  /** Erase the progress line. */
  end(): void;
}

export const silentProgress: ScanProgress = {
  accountsTotal() {},
  accountDone() {},
  roles() {},
  error() {},
  end() {},
};

/** A one-line progress display redrawn in place; silent unless `sink.isTTY` and not quiet. */
export function createProgress(sink: ProgressSink | undefined, quiet: boolean): ScanProgress {
  if (!sink?.isTTY || quiet) return silentProgress;
  let total = 1;
  let done = 0;
  let roles = 0;
  let errors = 0;
  let drawn = false;
  const draw = () => {
    drawn = true;
    sink.write(
      `\r\x1b[2Ktrustaudit: accounts ${done}/${total} · roles ${roles}${errors ? ` · errors ${errors}` : ''}`,
    );
  };
  return {
    accountsTotal(n) {
      total = n;
      draw();
    },
    accountDone() {
      done++;
      draw();
    },
    roles(n) {
      roles += n;
      draw();
    },
    error() {
      errors++;
      draw();
    },
    end() {
      if (drawn) sink.write('\r\x1b[2K');
    },
  };
}
