import { expect } from 'chai';
import { z } from 'zod';
import {
  ConfigError,
  loadConfig,
  money,
  parseInput,
  positiveInt,
  shippingAddress,
} from '../src/server/index.js';
import { call, type ListeningServer } from '../src/testing/index.js';
import { serveTinyApp } from './tiny-app.js';

const address = {
  recipient: 'Ana Shopper',
  line1: 'Av. Corrientes 1234',
  city: 'Buenos Aires',
  postalCode: 'C1043',
  country: 'AR',
};

describe('Shared schemas', () => {
  let server: ListeningServer;
  before(async () => {
    server = await serveTinyApp((app) => {
      app.post('/addresses', (req, res) => {
        res.status(201).json(parseInput(shippingAddress, req.body, 'body'));
      });
      app.post('/prices', (req, res) => {
        res.status(201).json(parseInput(z.strictObject({ price: money }), req.body, 'body'));
      });
    });
  });
  after(() => server.close());

  const countryAnswer = (country: string) =>
    call(server.url, 'POST', '/addresses', { body: { ...address, country } }).then((answer) => answer.status);

  it('When an address names an assigned ISO 3166-1 country, then it is accepted with isDefault false', async () => {
    const answer = await call(server.url, 'POST', '/addresses', { body: address });

    expect(answer.status).to.equal(201);
    expect(answer.body).to.deep.equal({ ...address, isDefault: false });
    expect(await Promise.all(['US', 'BR', 'DE', 'UY'].map(countryAnswer))).to.deep.equal([
      201, 201, 201, 201,
    ]);
  });

  it('When the country is user-assigned, unassigned or not in capitals, then 400 naming country', async () => {
    const codes = ['ZZ', 'XX', 'AA', 'QM', 'QZ', 'XK', 'EU', 'UK', 'ar', 'ARG'];

    const statuses = await Promise.all(codes.map(countryAnswer));
    const answer = await call(server.url, 'POST', '/addresses', { body: { ...address, country: 'ZZ' } });

    expect(statuses).to.deep.equal(codes.map(() => 400));
    expect(answer.body.invalidParams).to.deep.equal([
      { in: 'body', name: 'country', reason: 'must be an ISO 3166-1 alpha-2 code, e.g. AR' },
    ]);
  });

  it('When an address has an unknown field or a bad phone, then 400 naming each', async () => {
    const answer = await call<{ invalidParams: Array<{ name: string }> }>(server.url, 'POST', '/addresses', {
      body: { ...address, phone: '12345', floor: 3 },
    });

    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams.map((param) => param.name)).to.have.members(['phone', 'floor']);
  });

  it('When money is not whole minor units of an ISO 4217 currency within an integer, then 400', async () => {
    const prices = [
      { amount: 1999, currency: 'ARS' },
      { amount: 19.99, currency: 'ARS' },
      { amount: -1, currency: 'USD' },
      { amount: 2_147_483_648, currency: 'USD' },
      { amount: 100, currency: 'XYZ' },
      { amount: 100, currency: 'usd' },
    ];

    const statuses = await Promise.all(
      prices.map((price) =>
        call(server.url, 'POST', '/prices', { body: { price } }).then((answer) => answer.status),
      ),
    );

    expect(statuses).to.deep.equal([201, 400, 400, 400, 400, 400]);
  });

  it('When a setting read with positiveInt is zero, negative or not a number, then the config error names it', () => {
    const shape = { SWEEP_INTERVAL_MS: positiveInt.default(30_000) };

    expect(loadConfig(shape, {})).to.deep.equal({ SWEEP_INTERVAL_MS: 30_000 });
    expect(loadConfig(shape, { SWEEP_INTERVAL_MS: '500' })).to.deep.equal({ SWEEP_INTERVAL_MS: 500 });
    for (const wrong of ['0', '-5', 'soon', '1.5']) {
      expect(() => loadConfig(shape, { SWEEP_INTERVAL_MS: wrong })).to.throw(
        ConfigError,
        /SWEEP_INTERVAL_MS/,
      );
    }
  });
});
