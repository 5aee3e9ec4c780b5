import path from 'node:path';
import { expect } from 'chai';
import { mergeOpenApi, writeApiDocs, type OpenApiDocument } from '../scripts/api-docs.mjs';
import { nginxOrSkip, startNginx, type RunningNginx } from './helpers.js';

const serviceDocument = (title: string, paths: OpenApiDocument['paths']): OpenApiDocument => ({
  openapi: '3.1.0',
  info: { title, version: '1.0.0' },
  paths,
  components: { schemas: { Problem: { type: 'object' } } },
});
const ACCOUNTS = serviceDocument('accounts', { '/api/auth/login': { post: { summary: 'Sign in' } } });
const CATALOG = serviceDocument('catalog', { '/api/products': { get: { summary: 'List products' } } });

describe('gateway: the merged OpenAPI document and the reference page', function () {
  let nginx: RunningNginx;

  before(async function () {
    const binary = nginxOrSkip(this);
    nginx = await startNginx(binary, {});
  });
  after(async () => nginx?.stop());

  it('When the services’ documents are not collected yet, then /api/openapi.json is a 404 problem', async () => {
    const answer = await fetch(`${nginx.url}/api/openapi.json`);

    expect(answer.status).to.equal(404);
    expect(answer.headers.get('content-type')).to.equal('application/problem+json');
  });

  it('When they are, then /api/openapi.json serves every service’s paths and /api/docs a page that loads it', async () => {
    await writeApiDocs(path.join(nginx.prefix, 'html'), [ACCOUNTS, CATALOG]);

    const [document, page, script] = await Promise.all([
      fetch(`${nginx.url}/api/openapi.json`),
      fetch(`${nginx.url}/api/docs`),
      fetch(`${nginx.url}/api/docs/swagger-ui-bundle.js`),
    ]);

    expect(document.status).to.equal(200);
    expect(document.headers.get('content-type')).to.equal('application/json');
    const merged = (await document.json()) as OpenApiDocument;
    expect(merged.openapi).to.equal('3.1.0');
    expect(Object.keys(merged.paths)).to.deep.equal(['/api/auth/login', '/api/products']);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.equal('text/html');
    expect(await page.text()).to.include('/api/docs/swagger-ui-bundle.js');
    expect(script.status).to.equal(200);
    expect(script.headers.get('content-type')).to.equal('text/javascript');
  });

  it('When two services describe the same method and path, then the merge refuses', () => {
    expect(() => mergeOpenApi([ACCOUNTS, serviceDocument('copy', ACCOUNTS.paths)])).to.throw(
      'POST /api/auth/login is described by two services',
    );
  });
});
