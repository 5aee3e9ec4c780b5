import type { Logger } from 'pino';
import type { Sequelize } from 'sequelize';
import { listenForCommits } from './commit-wake.js';

export interface PeriodicJobOptions {
  /** Names the job in log lines. */
  name: string;
  intervalMs: number;
  /** Each wait is `intervalMs` plus up to this share of it, so instances started together spread out. Default 0.1. */
  jitter?: number;
  /**
   * Also runs a round right after a transaction of this process on `sequelize` commits rows to `table`
   * (with `wakeAfterCommit(transaction, table)`), so they are worked through within milliseconds.
   */
  wakeOnCommit?: { sequelize: Sequelize; table: string };
  /** One round; it logs what it did itself, and a failure is logged here. */
  run: () => Promise<unknown>;
  logger: Logger;
}

export interface PeriodicJob {
  /**
   * Runs a round now rather than at the next tick, or right after the round in progress (which may
   * have begun before what it should see); calls while a round is already due add nothing.
   */
  runSoon(): void;
  /** Stops scheduling and waits for a round in progress, so what it uses can be closed after. */
  stop(): Promise<void>;
}

/**
 * Runs a job on a timer in every instance (the job must be safe to run in several at once). A round
 * starts only after the previous one ended, so a slow round is never overlapped; a failing round is
 * logged and the next one runs on schedule. The timer does not keep the process alive.
 */
export function startPeriodicJob(options: PeriodicJobOptions): PeriodicJob {
  const { name, intervalMs, run, logger, jitter = 0.1, wakeOnCommit } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;
  let wantedAgain = false;

  const schedule = (delayMs = intervalMs + Math.random() * jitter * intervalMs) => {
    if (stopped) return;
    timer = setTimeout(runRound, delayMs);
    timer.unref();
  };
  const runRound = () => {
    wantedAgain = false;
    round = (async () => {
      try {
        await run();
      } catch (error) {
        logger.error({ err: error, job: name }, 'periodic job failed');
      }
    })().finally(() => {
      round = undefined;
      schedule(wantedAgain ? 0 : undefined);
    });
  };
  const runSoon = () => {
    if (stopped) return;
    if (round) {
      wantedAgain = true;
      return;
    }
    clearTimeout(timer);
    schedule(0);
  };
  const stopListening = wakeOnCommit
    ? listenForCommits(wakeOnCommit.sequelize, wakeOnCommit.table, runSoon)
    : () => {};
  schedule();
  return {
    runSoon,
    async stop() {
      stopped = true;
      stopListening();
      clearTimeout(timer);
      await round;
    },
  };
}
