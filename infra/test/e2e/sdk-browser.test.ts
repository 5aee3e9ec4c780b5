// An app in a browser: a page from another origin loads the SDK's browser bundle and goes through the
// gateway with it (CORS, fetch, localStorage), in Debian's headless Chromium driven by puppeteer-core.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect } from 'chai';
import { launchChromium, type Chromium } from './chromium.js';
import { newEmail, PASSWORD, signedInAdmin, variantWith } from './clients.js';
import { gatewayUrl } from './stack.js';

const sdkDir = path.dirname(createRequire(import.meta.url).resolve('@escalable/shop-sdk/package.json'));

/** What the page does, as an app would: its report is what the test checks. */
const APP = `
import { ShopClient, Problem, localStorageTokens } from './shop-sdk.js';
const params = new URL(location.href).searchParams;
const baseUrl = params.get('gateway');
const tokenStorage = localStorageTokens();
try {
  const shop = new ShopClient({ baseUrl, tokenStorage });
  const email = params.get('email');
  await shop.auth.register({ email, password: params.get('password'), name: 'Navegadora' });
  await shop.auth.logout();
  await shop.auth.login({ email, password: params.get('password') });
  const page = await shop.products.list({ q: params.get('search') });
  const me = await shop.users.me();
  // A reload: a new client finds the sign-in in localStorage.
  const reopened = await new ShopClient({ baseUrl, tokenStorage }).users.me();
  const missing = await shop.products.get('no-such-product').catch((error) => error);
  window.report = {
    products: page.items.map((product) => product.name),
    profile: { email: me.email, name: me.name },
    reopenedAs: reopened.email,
    missing: { isProblem: missing instanceof Problem, status: missing.status },
  };
} catch (error) {
  window.report = { error: String(error && error.stack || error) };
}
`;

async function servePage(): Promise<{ url: string; server: Server }> {
  const bundle = await readFile(path.join(sdkDir, 'dist/browser/shop-sdk.js'));
  const files: Record<string, [string, string | Buffer]> = {
    '/': ['text/html', '<!doctype html><title>app</title><script type="module" src="/app.js"></script>'],
    '/app.js': ['text/javascript', APP],
    '/shop-sdk.js': ['text/javascript', bundle],
  };
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://page').pathname];
    if (!file) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': file[0] }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server };
}

describe('e2e: the SDK in a browser page from another origin', () => {
  let chromium: Chromium | undefined;
  let page: { url: string; server: Server } | undefined;

  before(async function () {
    chromium = await launchChromium(this);
    page = await servePage();
  });

  after(async () => {
    await chromium?.close();
    page?.server.close();
  });

  it('When the page registers, signs in, lists products and reads the profile, then each answer reaches it', async () => {
    const admin = await signedInAdmin();
    const { run } = await variantWith(admin, 3);
    const email = newEmail();
    const tab = await chromium!.browser.newPage();
    const query = new URLSearchParams({ gateway: gatewayUrl(), email, password: PASSWORD, search: run });

    await tab.goto(`${page!.url}/?${query}`, { waitUntil: 'domcontentloaded' });
    await tab.waitForFunction(() => 'report' in window, { timeout: 30_000 });
    const report = await tab.evaluate(() => (window as unknown as { report: unknown }).report);

    expect(report).to.deep.equal({
      products: [`Mate ${run}`],
      profile: { email, name: 'Navegadora' },
      reopenedAs: email,
      missing: { isProblem: true, status: 404 },
    });
  });
});
