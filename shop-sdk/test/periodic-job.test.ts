import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger, startPeriodicJob } from '../src/server/index.js';

function loggerWithLines() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('jobs', 'info', destination) };
}

describe('startPeriodicJob', () => {
  it('When a round takes longer than the interval, then rounds never overlap and start an interval apart', async () => {
    const { logger } = loggerWithLines();
    let running = 0;
    let mostAtOnce = 0;
    const starts: number[] = [];
    const ends: number[] = [];
    const job = startPeriodicJob({
      name: 'slow',
      intervalMs: 10,
      logger,
      run: async () => {
        starts.push(performance.now());
        mostAtOnce = Math.max(mostAtOnce, ++running);
        await sleep(40);
        running--;
        ends.push(performance.now());
      },
    });

    await sleep(300);
    await job.stop();

    expect(mostAtOnce).to.equal(1);
    expect(starts.length).to.be.within(3, 7);
    starts.slice(1).forEach((start, index) => expect(start - ends[index]!).to.be.at.least(9));
  });

  it('When a round fails, then the failure is logged with the job name and the next round still runs', async () => {
    const { lines, logger } = loggerWithLines();
    let rounds = 0;
    const job = startPeriodicJob({
      name: 'flaky',
      intervalMs: 10,
      logger,
      run: async () => {
        rounds++;
        throw new Error('the database went away');
      },
    });

    await sleep(100);
    await job.stop();

    expect(rounds).to.be.at.least(3);
    const failure = lines.find((line) => line.msg === 'periodic job failed');
    expect(failure).to.deep.include({ job: 'flaky' });
    expect((failure!.err as { message: string }).message).to.equal('the database went away');
  });

  it('When stopped during a round, then stop waits for that round and no other starts', async () => {
    const { logger } = loggerWithLines();
    let started = 0;
    let finished = 0;
    const job = startPeriodicJob({
      name: 'sweep',
      intervalMs: 5,
      jitter: 0,
      logger,
      run: async () => {
        started++;
        await sleep(60);
        finished++;
      },
    });
    await sleep(20);

    await job.stop();
    const afterStop = started;
    await sleep(50);

    expect([started, finished]).to.deep.equal([1, 1]);
    expect(started).to.equal(afterStop);
  });

  it('When runSoon is called between ticks, then a round starts at once; called during a round, however often, then exactly one more follows it', async () => {
    const { logger } = loggerWithLines();
    const starts: number[] = [];
    const job = startPeriodicJob({
      name: 'outbox',
      intervalMs: 60_000,
      logger,
      run: async () => {
        starts.push(performance.now());
        await sleep(50);
      },
    });

    job.runSoon();
    while (starts.length === 0) await sleep(1);
    job.runSoon();
    job.runSoon();
    await sleep(300);
    await job.stop();

    // The tick is a minute away, so both rounds came from runSoon.
    expect(starts).to.have.length(2);
    expect(starts[1]! - starts[0]!, 'the second round waited for the first').to.be.at.least(49);
  });

  it('When jitter is set, then waits spread over the interval plus that share of it', async () => {
    const { logger } = loggerWithLines();
    const starts: number[] = [];
    const job = startPeriodicJob({
      name: 'spread',
      intervalMs: 10,
      jitter: 1,
      logger,
      run: async () => {
        starts.push(performance.now());
      },
    });

    await sleep(400);
    await job.stop();

    const gaps = starts.slice(1).map((start, index) => start - starts[index]!);
    expect(Math.min(...gaps)).to.be.at.least(9);
    expect(new Set(gaps.map((gap) => Math.round(gap / 2))).size, 'gaps differ').to.be.above(2);
  });
});
