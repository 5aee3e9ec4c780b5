// Root hooks of the end-to-end suite: one dev stack for every test file.
import type { Context } from 'mocha';
import { recentLogs, startE2eStack, stopE2eStack } from './stack.js';

export const mochaHooks = {
  async beforeAll(this: Context) {
    this.timeout(120_000);
    await startE2eStack();
  },
  afterEach(this: Context) {
    if (this.currentTest?.state === 'failed')
      console.error(`    last log lines of the stack:\n${recentLogs(30).join('\n')}`);
  },
  async afterAll(this: Context) {
    this.timeout(60_000);
    const leftovers = await stopE2eStack();
    if (leftovers.length > 0) throw new Error(`the stack left something running:\n${leftovers.join('\n')}`);
  },
};
