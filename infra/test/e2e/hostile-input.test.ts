// Hostile input on every public route of the services, through the gateway. Each case must get a 4xx
// application/problem+json (never a 5xx, an HTML page or an empty body), and after each route's cases
// nothing a user can observe may have changed. The cases are generated from the route table
// (hostile-routes.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { getGlobalDispatcher } from 'undici';
import { rawExchange } from '@escalable/gateway/testing';
import type { ShopClient } from '@escalable/shop-sdk';
import { signedInAdmin, signedUpShopper, visitor } from './clients.js';
import { HOSTILE_ROUTES, price, type Fixtures, type Json, type Route, type Token } from './hostile-routes.js';
import { e2eStack, gatewayUrl } from './stack.js';

const ROUTES = Object.values(HOSTILE_ROUTES).flat();

/** What a case sends in place of the route's defaults. */
interface Sent {
  ids?: Record<string, string>;
  query?: string;
  body?: string;
  type?: string;
  encoding?: string;
  cartToken?: string;
}
/** A status; any 4xx problem; a valid request's answer (2xx JSON or a 4xx problem); the real id's answer or 404. */
type Expected = number | 'problem' | 'answer' | 'asTheRealIdOr404';
interface Case {
  name: string;
  sent: (base: Json | undefined, ids: Record<string, string>) => Sent;
  expected: Expected;
  /** The answer must be smaller than this many bytes (an error listing every bad character is not). */
  maxBytes?: number;
}

// Built raw: JSON.stringify would write 2**53+1 as 2**53 and -0 as 0.
const NUMBERS: Array<[string, (value: number) => string]> = [
  ['a word', () => '"seven"'],
  ['null', () => 'null'],
  ['negative', () => '-1'],
  ['fractional', () => '0.5'],
  ['1e308', () => '1e308'],
  ['2**53+1', () => '9007199254740993'],
  ['-0', () => '-0'],
  ['a numeric string', (value) => JSON.stringify(String(value))],
];
const STRINGS: Array<[string, (value: string) => string, Expected?]> = [
  ['a number', () => '42'],
  ['null', () => 'null'],
  ['100 000 characters', () => JSON.stringify('x'.repeat(100_000))],
  ['a NUL character', (value) => JSON.stringify(`${value}\u0000`)],
  ['control characters', (value) => JSON.stringify(`${value}\u0007\u001b\u007f`)],
  // Written as the JSON escape: JSON.stringify would write the lone surrogate as the same escape, but
  // spelled out it is plain what is sent. No UTF-8 text can hold it, so no field may store it.
  ['an unpaired surrogate', (value) => `${JSON.stringify(value).slice(0, -1)}\\ud800"`, 400],
];
const OTHERS: Array<[string, (value: Json) => string]> = [
  ['null', () => 'null'],
  ['a string', () => '"true"'],
  ['the wrong container', (value) => (Array.isArray(value) ? '{}' : typeof value === 'object' ? '[]' : '1')],
];

function mutationsOf(value: Json): Array<[string, string, Expected]> {
  if (typeof value === 'number') return NUMBERS.map(([name, raw]) => [name, raw(value), 'problem']);
  if (typeof value === 'string')
    return STRINGS.map(([name, raw, expected]) => [name, raw(value), expected ?? 'problem']);
  return OTHERS.map(([name, raw]) => [name, raw(value), 'problem']);
}

const isObject = (value: Json): value is { [key: string]: Json } =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The value at `at` in a body. */
const valueAt = (body: Json, at: string[]): Json =>
  at.reduce<Json>((node, key) => (node as Record<string, Json>)[key]!, body);

/** An object's JSON with a `__proto__` key first: JSON.parse makes it an own key, a plain assignment would not. */
const withProtoKey = (value: { [key: string]: Json }) =>
  JSON.stringify(value).replace(
    /^\{/,
    Object.keys(value).length > 0 ? '{"__proto__":{"polluted":true},' : '{"__proto__":{"polluted":true}',
  );

/** Arrays nested `depth` deep, and objects nested `depth` deep: 4 KB and 8 KB of JSON. */
const deepArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deepObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** Every value in a body (first item of arrays only), with its path. */
function fieldsOf(value: Json, at: string[] = []): Array<[string[], Json]> {
  const children: Array<[string, Json]> = Array.isArray(value)
    ? value.slice(0, 1).map((item, index) => [String(index), item])
    : value !== null && typeof value === 'object'
      ? Object.entries(value)
      : [];
  return [
    ...(at.length > 0 ? [[at, value] as [string[], Json]] : []),
    ...children.flatMap(([key, item]) => fieldsOf(item, [...at, key])),
  ];
}

/** The body with the field at `at` replaced by raw JSON text. */
function replaced(body: Json, at: string[], raw: string): string {
  const marker = `@@${randomUUID()}@@`;
  const copy = structuredClone(body) as Record<string, Json>;
  const parent = at.slice(0, -1).reduce((node, key) => node[key] as Record<string, Json>, copy);
  parent[at.at(-1)!] = marker;
  return JSON.stringify(copy).replace(JSON.stringify(marker), () => raw);
}

const json = (base: Json | undefined) => JSON.stringify(base ?? {});
/** The route's own body, for cases where only the path or the query is hostile. */
const asIs = (base: Json | undefined): Sent => (base === undefined ? {} : { body: JSON.stringify(base) });

function casesOf(route: Route): Case[] {
  const cases: Case[] = [
    // Every route, with a body or not: what the body parser and the gateway must refuse.
    { name: 'malformed JSON', sent: () => ({ body: '{"name": ' }), expected: 400 },
    {
      name: 'Content-Type: text/plain',
      sent: (base) => ({ body: json(base), type: 'text/plain' }),
      expected: 415,
    },
    {
      name: 'Content-Encoding: gzip on a plain body',
      sent: (base) => ({ body: json(base), encoding: 'gzip' }),
      expected: 400,
    },
    {
      name: 'a body over 1 MB',
      sent: () => ({ body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }) }),
      expected: 413,
    },
  ];

  const shape = route.body?.(new Proxy({}, { get: () => 'shape' }) as Fixtures);
  if (shape !== undefined) {
    const withBody = (name: string, body: (base: Json) => string): Case => ({
      name,
      sent: (base) => ({ body: body(base!) }),
      expected: 400,
    });
    cases.push(
      withBody('body = a JSON array', (base) => JSON.stringify([base])),
      withBody('body = a JSON string', () => '"hello"'),
      withBody('body = an empty object', () => '{}'),
      withBody('body + an unknown field', (base) => JSON.stringify({ ...(base as object), isAdmin: true })),
      withBody('body + a __proto__ field', (base) =>
        json(base).replace('{', '{"__proto__":{"isAdmin":true},'),
      ),
    );
    const fields = fieldsOf(shape);
    const [firstKey] = Object.keys(shape as object);
    const [firstText] = fields.find(([, value]) => typeof value === 'string') ?? [];
    cases.push(
      withBody('a field of arrays nested 2 000 deep', (base) =>
        replaced(base, [firstKey!], deepArrays(2_000)),
      ),
      withBody('a body of objects nested 2 000 deep', () => deepObjects(2_000)),
    );
    if (firstText) {
      // 165 000 × `\u0001`: 990 KB, just under the gateway's 1 MB.
      const bomb = JSON.stringify('\u0001'.repeat(165_000));
      cases.push({
        name: `body.${firstText.join('.')} = 990 KB of control characters`,
        sent: (base) => ({ body: replaced(base!, firstText, bomb) }),
        expected: 400,
        maxBytes: 4_096,
      });
    }
    for (const [at, value] of fields) {
      for (const [name, raw, expected] of mutationsOf(value)) {
        if (name === 'null' && route.nullable?.includes(at.join('.'))) continue;
        cases.push({
          name: `body.${at.join('.')} = ${name}`,
          sent: (base) => ({ body: replaced(base!, at, raw) }),
          expected,
        });
      }
      // Refused, or kept as an ordinary key whose object value then fails the type check: never
      // dropped on the way, with its value unchecked.
      if (isObject(value)) {
        cases.push({
          name: `body.${at.join('.')} + a __proto__ key`,
          sent: (base) => ({
            body: replaced(base!, at, withProtoKey(valueAt(base!, at) as { [key: string]: Json })),
          }),
          expected: 400,
        });
      }
    }
  }

  for (const [, param] of route.path.matchAll(/:(\w+)/g)) {
    const key =
      (value: (real: string) => string) => (base: Json | undefined, ids: Record<string, string>) => ({
        ...asIs(base),
        ids: { ...ids, [param!]: value(ids[param!]!) },
      });
    cases.push({ name: `:${param} = not_a_uuid`, sent: key(() => 'not_a_uuid'), expected: 400 });
    if (param === 'slug') {
      cases.push({
        name: `:${param} = a slug that does not exist`,
        sent: key(() => `no-such-${randomUUID().slice(0, 8)}`),
        expected: 404,
      });
    } else {
      cases.push(
        { name: `:${param} = a UUID that does not exist`, sent: key(() => randomUUID()), expected: 404 },
        {
          name: `:${param} = the real id in upper case`,
          sent: key((real) => real.toUpperCase()),
          expected: 'asTheRealIdOr404',
        },
      );
    }
    for (const garbage of ['%E0%A4%A', '%ZZ', '%FF'])
      cases.push({ name: `:${param} = ${garbage}`, sent: key(() => garbage), expected: 'problem' });
  }

  if (route.cartToken) {
    // A guest token opens its cart or nothing: whatever comes in its place is a 4xx, never a 5xx.
    const tokens: Array<[string, string]> = [
      ['a well-formed token that opens nothing', randomBytes(32).toString('base64url')],
      ['empty', ''],
      ['4 000 characters', 'a'.repeat(4_000)],
      ['SQL', "' OR '1'='1"],
      ['non-ASCII', 'caf\u00e9-\u00ff'],
    ];
    for (const [name, cartToken] of tokens)
      cases.push({
        name: `X-Cart-Token = ${name}`,
        sent: (base) => ({ ...asIs(base), cartToken }),
        expected: 'problem',
      });
  }

  if (route.query) {
    const { search, list, sort, range } = route.query;
    const queries: Array<[string, Expected]> = [
      ['limit=1&limit=2', 400],
      ['limit=99999999999999999999', 400],
      ['offset=99999999999999999999', 400],
      ['limit=-1', 400],
      ['offset=-1', 400],
      ['limit=1.5', 400],
      ['isAdmin=true', 400],
    ];
    if (list) queries.push([`${list}[]=a`, 400], [`${list}=a&${list}=b`, 400]);
    if (sort) queries.push([`${sort}=random`, 400]);
    if (range) queries.push([`${range[0]}=-1`, 400], [`${range[0]}=5&${range[1]}=1`, 400]);
    if (search) {
      queries.push(
        // Punctuation and a bad escape are odd but valid searches: any answer but a 5xx.
        [`${search}=${encodeURIComponent('!@#$%^&*()_+-=[]{};\':",./<>?|\\~`')}`, 'answer'],
        [`${search}=%ZZ`, 'answer'],
        // Text search operators in bulk once overflowed PostgreSQL's tsquery stack: a page or a 400.
        ...[
          '-'.repeat(33),
          '-('.repeat(50),
          '('.repeat(200),
          '-"'.repeat(50),
          '!'.repeat(200),
          ' or -a'.repeat(100),
          '<->'.repeat(60),
          ':*&|'.repeat(50),
        ].map((q): [string, Expected] => [`${search}=${encodeURIComponent(q)}`, 'answer']),
        [`${search}=%00`, 400],
        [`${search}=${'a'.repeat(5_000)}`, 400], // within nginx's 8 KB request line: the service's own limit
        [`${search}=${'a'.repeat(10_000)}`, 414], // past nginx's 8 KB request line: the gateway's problem
      );
    }
    const named = (query: string) => query.replace(/a{100,}/, (run) => `<${run.length} × a>`);
    for (const [query, expected] of queries)
      cases.push({ name: `?${named(query)}`, sent: (base) => ({ ...asIs(base), query }), expected });
  }
  return cases;
}

/** What a raw request is built from: the gateway's host, the admin's Authorization value, a JSON body. */
interface RawParts {
  host: string;
  auth: string;
  body: string;
}
const createCategory = (method: string, { host, auth, body }: RawParts, extra = '', version = 'HTTP/1.1') =>
  `${method} /api/categories ${version}\r\nHost: ${host}\r\nAuthorization: ${auth}\r\n` +
  `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`;
const latin1 = (text: string) => Buffer.from(text, 'latin1');

/** Name, the gateway's status, the bytes. Each answer must be a problem+json with that status. */
const RAW_REQUESTS: Array<[string, number, (parts: RawParts) => string | Buffer]> = [
  [
    'a header line over 8 KB',
    431,
    (parts) => createCategory('POST', parts, `X-Pad: ${'a'.repeat(9_000)}\r\n`),
  ],
  [
    'headers over 32 KB in all',
    431,
    (parts) => createCategory('POST', parts, `X-Pad: ${'a'.repeat(7_000)}\r\n`.repeat(5)),
  ],
  [
    'TRACE',
    405,
    ({ host }) => `TRACE /api/categories HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
  ],
  ['an unknown method (FOO)', 405, (parts) => createCategory('FOO', parts)],
  [
    'Transfer-Encoding: gzip',
    400,
    ({ host, auth, body }) =>
      `POST /api/categories HTTP/1.1\r\nHost: ${host}\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\n` +
      `Transfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`,
  ],
  ['an HTTP/2.0 request line', 400, (parts) => createCategory('POST', parts, '', 'HTTP/2.0')],
  [
    'a raw non-ASCII byte in the path',
    400,
    ({ host }) => latin1(`GET /api/products/caf\xe9 HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
  ],
  [
    'a raw control byte in the query',
    400,
    ({ host }) => latin1(`GET /api/products?q=\x01 HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
  ],
  [
    'HTTP/1.0 without Host',
    400,
    ({ auth, body }) =>
      `POST /api/categories HTTP/1.0\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  ],
  // nginx forwards any header value but NUL, CR and LF; the services' HTTP parser refuses DEL and C0 bytes.
  [
    'a control byte in a header value',
    400,
    (parts) => latin1(createCategory('POST', parts, 'X-Note: a\x7fb\r\n')),
  ],
];

interface Answer {
  status: number;
  type: string;
  text: string;
}

let fixtures: Fixtures;
const tokens: Record<Token, string | undefined> = { none: undefined, shopper: undefined, admin: undefined };

// The gateway lets /api/auth through at 10 r/s with a burst of 20 per address (gateway.conf). This
// keeps to the rate with at most 5 of that burst, leaving the rest to the sign-ins of `before` and of the
// other files, so the limiter's 429 never stands in for an answer.
const authBucket = { excess: 0, at: 0 };
async function paceAuth(): Promise<void> {
  const excess = () => Math.max(0, authBucket.excess - (Date.now() - authBucket.at) / 100);
  if (excess() >= 5) await sleep((excess() - 4) * 100);
  authBucket.excess = excess() + 1;
  authBucket.at = Date.now();
}
const isGatewayLimit = (answer: Answer) =>
  answer.status === 429 && answer.text.includes('Too many requests from this address');

/** Sends the path exactly as written (`new URL` would normalise it). */
async function send(route: Route, sent: Sent): Promise<Answer> {
  const ids: Record<string, string> = { ...route.ids?.(fixtures), ...sent.ids };
  const path =
    route.path.replace(/:(\w+)/g, (_, name: string) => ids[name]!) +
    (sent.query === undefined ? '' : `?${sent.query}`);
  const headers: Record<string, string> = {};
  if (tokens[route.token]) headers.authorization = `Bearer ${tokens[route.token]}`;
  if (sent.body !== undefined) headers['content-type'] = sent.type ?? 'application/json';
  if (sent.encoding) headers['content-encoding'] = sent.encoding;
  if (route.cartToken) headers['x-cart-token'] = sent.cartToken ?? route.cartToken(fixtures);
  for (let attempt = 0; ; attempt++) {
    if (route.path.startsWith('/api/auth/')) await paceAuth();
    const res = await getGlobalDispatcher().request({
      origin: gatewayUrl(),
      path,
      method: route.method,
      headers,
      body: sent.body,
    });
    const answer = {
      status: res.statusCode,
      type: String(res.headers['content-type'] ?? ''),
      text: await res.body.text(),
    };
    if (!isGatewayLimit(answer) || attempt === 3) return answer;
    await sleep(1000 * Number(res.headers['retry-after'] ?? 1));
  }
}

function expectProblem(answer: Answer, label: string, status?: number): void {
  const seen = `${label}: answered ${answer.status} ${answer.type} ${JSON.stringify(answer.text.slice(0, 300))}`;
  expect(answer.status, seen).to.be.within(400, 499);
  if (status !== undefined) expect(answer.status, seen).to.equal(status);
  // 429 only as the /api/auth limiter's answer, after send() has waited for it and asked again.
  if (answer.status === 429)
    expect(label.includes(' /api/auth/') && isGatewayLimit(answer), seen).to.equal(true);
  expect(answer.type, seen).to.match(/^application\/problem\+json/);
  expect(() => JSON.parse(answer.text) as unknown, seen).not.to.throw();
  const problem = JSON.parse(answer.text) as { status?: unknown; title?: unknown };
  expect(problem.status, seen).to.equal(answer.status);
  expect(problem.title, seen).to.be.a('string');
}

function expectAnswer(answer: Answer, label: string): void {
  if (answer.status >= 400) return expectProblem(answer, label);
  const seen = `${label}: answered ${answer.status} ${answer.type} ${JSON.stringify(answer.text.slice(0, 300))}`;
  expect(answer.status, seen).to.be.within(200, 299);
  expect(answer.type, seen).to.match(/^application\/json/);
  expect(() => JSON.parse(answer.text) as unknown, seen).not.to.throw();
}

/**
 * What a user can observe of the shop and of the objects the cases aim at, the shopper's and the guest's
 * carts included; timestamps aside.
 */
async function observe(admin: ShopClient, shopper: ShopClient, guest: ShopClient) {
  const total = async (status: 'draft' | 'active' | 'archived') =>
    (await admin.products.list({ status, limit: 1 })).total;
  const count = (nodes: Array<{ children: unknown[] }>): number =>
    nodes.reduce((sum, node) => sum + 1 + count(node.children as typeof nodes), 0);
  const [users, draft, active, archived, tree, product, archivedProduct, ledger, me, cart, guestCart] =
    await Promise.all([
      admin.users.list({ limit: 1 }),
      total('draft'),
      total('active'),
      total('archived'),
      admin.categories.tree(),
      admin.products.get(fixtures.productId),
      admin.products.get(fixtures.archivedId),
      admin.products.stockLedger(fixtures.productId, fixtures.variantId, { limit: 1 }),
      shopper.users.me(),
      shopper.cart.get(),
      guest.cart.get(),
    ]);
  const stable = (value: unknown) =>
    JSON.parse(
      JSON.stringify(value, (key, item: unknown) => (key === 'updatedAt' ? undefined : item)),
    ) as unknown;
  return {
    users: users.total,
    products: { draft, active, archived },
    categories: count(tree),
    tree,
    stock: { onHand: ledger.onHand, reserved: ledger.reserved, movements: ledger.movements.total },
    objects: stable([product, archivedProduct, me, cart, guestCart]),
  };
}

describe('Hostile input on every public route, through the gateway', function () {
  let admin: ShopClient;
  let shopper: ShopClient;
  let guest: ShopClient;
  /** What a user could observe before the current route's cases. */
  let seen: Awaited<ReturnType<typeof observe>>;

  before(async () => {
    admin = await signedInAdmin();
    shopper = await signedUpShopper('Hostile');
    const me = await shopper.users.me();
    const run = randomUUID().slice(0, 6);
    const root = await admin.categories.create({ name: 'Hostile', slug: `hostile-${run}` });
    const other = await admin.categories.create({ name: 'Hostile other', slug: `hostile-other-${run}` });
    const product = await admin.products.create({
      name: 'Hostile input',
      description: 'Target of the hostile-input cases',
      images: ['https://cdn.example.test/hostile.jpg'],
      attributes: { material: 'algodón', weightGrams: 180 },
      status: 'active',
      categoryIds: [root.id],
      variants: [
        { sku: `HOSTILE-${run}-A`, options: { size: 'M' }, price, stock: 0 },
        { sku: `HOSTILE-${run}-B`, options: { size: 'L' }, price, stock: 3 },
      ],
    });
    const archived = await admin.products.create({
      name: 'Hostile archived',
      status: 'active',
      categoryIds: [root.id],
      variants: [{ sku: `HOSTILE-${run}-Z`, price }],
    });
    await admin.products.archive(archived.id);
    const inCart = { variantId: product.variants[1]!.id, quantity: 1 };
    const merged = visitor();
    await merged.cart.addItem(inCart);
    const mergedCartToken = merged.cart.guestToken!;
    shopper.cart.guestToken = mergedCartToken;
    await shopper.cart.merge();
    guest = visitor();
    await guest.cart.addItem(inCart);
    fixtures = {
      shopperId: me.id,
      shopperEmail: me.email,
      rootId: root.id,
      rootSlug: root.slug,
      otherCategoryId: other.id,
      productId: product.id,
      variantId: product.variants[0]!.id,
      sku: product.variants[0]!.sku,
      otherSku: product.variants[1]!.sku,
      archivedId: archived.id,
      archivedSlug: archived.slug,
      guestCartToken: guest.cart.guestToken!,
      mergedCartToken,
    };
    tokens.shopper = shopper.tokens!.accessToken;
    tokens.admin = admin.tokens!.accessToken;
    seen = await observe(admin, shopper, guest);
  });

  it('has routes in the table for every service the stack runs', () => {
    const running = [...new Set(e2eStack().instances.map((instance) => instance.service.name))];
    expect(running.filter((service) => !(service in HOSTILE_ROUTES))).to.deep.equal([]);
  });

  for (const route of ROUTES) {
    const routeName = `${route.method} ${route.path}`;
    describe(`${routeName} (token: ${route.token}${route.cartToken ? ' + X-Cart-Token' : ''})`, () => {
      for (const hostile of casesOf(route)) {
        const label = `${routeName} — ${hostile.name}`;
        it(hostile.name, async () => {
          const base = route.body?.(fixtures);
          const ids = route.ids?.(fixtures) ?? {};
          const answer = await send(route, hostile.sent(base, ids)).catch((error: Error) => {
            throw new Error(`${label}: the request failed: ${error.message}`, { cause: error });
          });
          if (hostile.maxBytes !== undefined) {
            const bytes = Buffer.byteLength(answer.text);
            expect(bytes, `${label}: answered ${answer.status} with ${bytes} bytes`).to.be.below(
              hostile.maxBytes,
            );
          }
          if (hostile.expected === 'answer') return expectAnswer(answer, label);
          if (hostile.expected !== 'asTheRealIdOr404')
            return expectProblem(
              answer,
              label,
              hostile.expected === 'problem' ? undefined : hostile.expected,
            );
          const real = await send(route, asIs(base));
          const withReal = `${label} (the real id answered ${real.status})`;
          expectAnswer(real, `${label}, sent with the real id as it is`);
          expect(
            answer.status,
            `${withReal}: answered ${answer.status} ${answer.text.slice(0, 300)}`,
          ).to.be.oneOf([real.status, 404]);
          expectAnswer(answer, withReal);
        });
      }

      // Compared with the state before this route only, so a write fails the route that made it and no other.
      it('wrote nothing a user can observe', async () => {
        const [before, after] = [seen, await observe(admin, shopper, guest)];
        seen = after;
        expect(after, `${routeName}: what a user can observe after its hostile cases`).to.deep.equal(before);
      });
    });
  }

  // Requests only a raw socket sends. Each wraps a sign-up of a new category by the admin, which would
  // write if it reached product-service; the gateway must refuse the framing with its own problem.
  describe('requests no HTTP client would send (raw socket)', () => {
    for (const [name, status, bytes] of RAW_REQUESTS) {
      it(name, async () => {
        const { host } = new URL(gatewayUrl());
        const body = JSON.stringify({ name: 'Raw', slug: `raw-${randomUUID().slice(0, 8)}` });
        const raw = await rawExchange(gatewayUrl(), bytes({ host, auth: `Bearer ${tokens.admin}`, body }));
        const answer = { status: raw.status, type: raw.headers['content-type'] ?? '', text: raw.text };
        expectProblem(answer, `raw ${name} (${raw.statusLine})`, status);
      });
    }

    it('wrote nothing a user can observe', async () => {
      const [before, after] = [seen, await observe(admin, shopper, guest)];
      seen = after;
      expect(after, 'what a user can observe after the raw requests').to.deep.equal(before);
    });
  });
});
