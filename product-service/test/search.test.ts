import { expect } from 'chai';
import type { Page, Product } from '@escalable/shop-sdk';
import { call, givenProduct, productService, unique, type ProblemBody } from './harness.js';

type Listing = Page<Product>;

const HOSTILE: Array<[string, string]> = [
  ['33 dashes', '-'.repeat(33)],
  ['"-(" 50 times', '-('.repeat(50)],
  ['40 lone dashes before a word', `${'- '.repeat(40)}WORD`],
  ['"-(" 50 times before a word', `${'-('.repeat(50)}WORD`],
  ['only quotes', '""""""'],
  ['an unclosed quote', '"WORD -'],
  ['prefix marks', 'WORD:* :*'],
  ['weights and prefixes', 'WORD:*AB'],
  ['bangs', '!!! !WORD !'],
  ['and and or signs', '&|&| WORD & | WORD'],
  ['the phrase operator', 'WORD <-> <2> WORD'],
  ['backslashes', '\\\\\\ WORD\\ \\'],
  ['an apostrophe', "WORD's '"],
  ['a 200-character word', 'x'.repeat(200)],
  ['only punctuation', '!@#$%^&*()_+-=[]{};\':",./<>?|\\~`'],
  ['only "or"', 'or OR or'],
  ['"or" around a word', 'or WORD or or'],
  ['nested parentheses', `${'('.repeat(60)}WORD${')'.repeat(60)}`],
  ['dashes before quotes', '-"'.repeat(50)],
  ['excluded alternatives', ' or -a'.repeat(33)],
];

describe('Product search with hostile input', () => {
  for (const [what, typed] of HOSTILE) {
    it(`When a visitor searches ${what}, then 200 or a 400 naming q, never 500`, async () => {
      const { url } = await productService();
      const word = unique('zh').replace('-', '');
      await givenProduct(url, { name: `Mate ${word}` });
      const q = encodeURIComponent(typed.replaceAll('WORD', word));

      const answers = await Promise.all(
        ['', '&sort=relevance', '&inStock=true&sort=name'].map((extra) =>
          call<Listing | ProblemBody>(url, 'GET', `/api/products?q=${q}${extra}`),
        ),
      );

      for (const answer of answers) {
        expect(answer.status, JSON.stringify(answer.body)).to.be.oneOf([200, 400]);
        if (answer.status === 400) {
          expect((answer.body as ProblemBody).invalidParams.map((param) => param.name)).to.deep.equal(['q']);
        }
      }
    });
  }

  it('When dashes and parentheses surround a word, then the word is still searched', async () => {
    const { url } = await productService();
    const word = unique('zh').replace('-', '');
    await givenProduct(url, { name: `Mate ${word}` });

    const answer = await call<Listing>(
      url,
      'GET',
      `/api/products?q=${encodeURIComponent(`${'-('.repeat(50)}${word} ${'- '.repeat(40)}`)}`,
    );

    expect(answer.status).to.equal(200);
    expect(answer.body.items.map((product) => product.name)).to.deep.equal([`Mate ${word}`]);
  });

  it('When a search holds no word at all, then 400 says so', async () => {
    const { url } = await productService();

    const answer = await call<ProblemBody>(
      url,
      'GET',
      `/api/products?q=${encodeURIComponent('-'.repeat(33))}`,
    );

    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams).to.deep.equal([
      { in: 'query', name: 'q', reason: 'must contain a word to search for (letters or digits)' },
    ]);
  });

  it('When a search is longer than 200 characters, then 400 naming q', async () => {
    const { url } = await productService();

    const answer = await call<ProblemBody>(url, 'GET', `/api/products?q=${'x'.repeat(201)}`);

    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams.map((param) => param.name)).to.deep.equal(['q']);
  });
});
