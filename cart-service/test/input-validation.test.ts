import { expect } from 'chai';
import { cartCall, cartService, givenInCart, newCustomer, type ProblemBody } from './harness.js';

const invalid = (answer: { body: ProblemBody }) =>
  answer.body.invalidParams.map((param) => [param.in, param.name]);

describe('Input validation', () => {
  it('When an add names no valid variant or quantity, then 400 naming each field', async () => {
    const { url, catalog } = await cartService();
    const variantId = catalog.addVariant().variantId;
    const customer = newCustomer();
    const bodies: Array<[unknown, string[][]]> = [
      [{ variantId: 'not-a-uuid', quantity: 1 }, [['body', 'variantId']]],
      [{ variantId, quantity: 0 }, [['body', 'quantity']]],
      [{ variantId, quantity: 100 }, [['body', 'quantity']]],
      [{ variantId, quantity: 1.5 }, [['body', 'quantity']]],
      [{ variantId, quantity: '2' }, [['body', 'quantity']]],
      [{ variantId, quantity: -1 }, [['body', 'quantity']]],
      [{ variantId, quantity: 1, price: 1 }, [['body', 'price']]],
      [
        {},
        [
          ['body', 'variantId'],
          ['body', 'quantity'],
        ],
      ],
      [[{ variantId, quantity: 1 }], [['body', '(root)']]],
    ];

    for (const [body, names] of bodies) {
      const answer = await cartCall<ProblemBody>(url, customer, 'POST', '/api/cart/items', body);
      expect([answer.status, invalid(answer)], JSON.stringify(body)).to.deep.equal([400, names]);
    }
    const cart = await cartCall(url, customer, 'GET', '/api/cart');
    expect(cart.body.lines).to.deep.equal([]);
  });

  it('When a quantity change is not 0 to 99 or carries other fields, then 400', async () => {
    const { url, catalog } = await cartService();
    const customer = newCustomer();
    const variantId = catalog.addVariant().variantId;
    await givenInCart(url, customer, variantId, 1);

    const answers = await Promise.all(
      [{ quantity: 100 }, { quantity: -1 }, { quantity: null }, { quantity: 2, variantId }, {}].map((body) =>
        cartCall<ProblemBody>(url, customer, 'PATCH', `/api/cart/items/${variantId}`, body),
      ),
    );

    expect(answers.map((answer) => answer.status)).to.deep.equal([400, 400, 400, 400, 400]);
  });

  it('When a path names no valid variant id, then 400 naming the parameter', async () => {
    const { url } = await cartService();

    const answers = await Promise.all([
      cartCall<ProblemBody>(url, newCustomer(), 'PATCH', '/api/cart/items/12345', { quantity: 1 }),
      cartCall<ProblemBody>(url, newCustomer(), 'DELETE', "/api/cart/items/x'%20OR%201=1"),
    ]);

    for (const answer of answers)
      expect([answer.status, invalid(answer)]).to.deep.equal([400, [['params', 'variantId']]]);
  });

  it('When a body is not JSON, then 415 or 400, never 500', async () => {
    const { url } = await cartService();

    const post = (type: string, body: string) =>
      fetch(`${url}/api/cart/items`, { method: 'POST', headers: { 'content-type': type }, body });

    const [form, broken] = await Promise.all([
      post('text/plain', 'variantId=x'),
      post('application/json', '{"variantId":'),
    ]);

    expect([form.status, broken.status]).to.deep.equal([415, 400]);
  });
});
