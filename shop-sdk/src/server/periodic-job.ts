import type { Logger } from 'pino';

export interface PeriodicJobOptions {
  /** Names the job in log lines. */
  name: string;
  intervalMs: number;
  /** Each wait is `intervalMs` plus up to this share of it, so instances started together spread out. Default 0.1. */
  jitter?: number;
  /** One round; it logs what it did itself, and a failure is logged here. */
  run: () => Promise<unknown>;
  logger: Logger;
}

export interface PeriodicJob {
  /** Stops scheduling and waits for a round in progress, so what it uses can be closed after. */
  stop(): Promise<void>;
}

/**
 * Runs a job on a timer in every instance (the job must be safe to run in several at once). A round
 * starts only after the previous one ended, so a slow round is never overlapped; a failing round is
 * logged and the next one runs on schedule. The timer does not keep the process alive.
 */
export function startPeriodicJob(options: PeriodicJobOptions): PeriodicJob {
  const { name, intervalMs, run, logger, jitter = 0.1 } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(runRound, intervalMs + Math.random() * jitter * intervalMs);
    timer.unref();
  };
  const runRound = () => {
    round = (async () => {
      try {
        await run();
      } catch (error) {
        logger.error({ err: error, job: name }, 'periodic job failed');
      }
    })().finally(() => {
      round = undefined;
      schedule();
    });
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
