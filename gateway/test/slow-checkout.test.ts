import { expect } from 'chai';
import { request } from 'undici';
import {
  nginxOrSkip,
  startNginx,
  startStandIn,
  type Echo,
  type RunningNginx,
  type StandIn,
} from './helpers.js';

/** Longer than the gateway's 15 s read timeout. */
const SLOWER_THAN_THE_GATEWAY_WAITS = 16_000;

describe('gateway: order-service instances that are slow rather than down, on a real nginx', function () {
  let binary: string;
  let nginx: RunningNginx;
  let orderService: [StandIn, StandIn];

  const checkout = () =>
    request(`${nginx.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    }).then(async (res) => ({ status: res.statusCode, text: await res.body.text() }));

  before(async function () {
    binary = nginxOrSkip(this);
  });

  beforeEach(async () => {
    orderService = [await startStandIn('order_service#1'), await startStandIn('order_service#2')];
    nginx = await startNginx(binary, { order_service: orderService.map((standIn) => standIn.address) });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.error(nginx?.stderr());
    await nginx?.stop();
    await Promise.all(orderService.map((standIn) => standIn.close().catch(() => undefined)));
  });

  it('When both instances were too slow for one checkout each, then the next checkout still reaches one', async function () {
    this.timeout(60_000);
    this.slow(40_000);
    for (const standIn of orderService) standIn.answerAfterMs = SLOWER_THAN_THE_GATEWAY_WAITS;
    const timedOut = await Promise.all([checkout(), checkout()]);
    const reachedBySlowOnes = orderService.map((standIn) => standIn.received.length);
    for (const standIn of orderService) delete standIn.answerAfterMs;

    const next = await checkout();

    expect(timedOut.map((answer) => answer.status)).to.deep.equal([504, 504]);
    expect(reachedBySlowOnes).to.deep.equal([1, 1]);
    expect(next.status).to.equal(200);
    expect((JSON.parse(next.text) as Echo).instance).to.match(/^order_service#[12]$/);
  });

  it('When one instance is down, then every checkout goes to the other, none twice', async () => {
    const [down, up] = orderService;
    await down.close();

    const answers = await Promise.all([1, 2, 3, 4].map(() => checkout()));

    expect(answers.map((answer) => answer.status)).to.deep.equal([200, 200, 200, 200]);
    expect(up.received.length).to.equal(4);
  });
});
