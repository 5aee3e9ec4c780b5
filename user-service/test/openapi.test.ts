import { expect } from 'chai';
import { openApiFindings } from '@escalable/shop-sdk/server';
import { USER_API } from '../src/routes/openapi.js';
import { call, userService } from './harness.js';

interface Operation {
  requestBody: {
    content: Record<
      string,
      {
        schema: {
          required: string[];
          additionalProperties: boolean;
          properties: Record<string, { minLength?: number }>;
        };
      }
    >;
  };
  responses: Record<string, unknown>;
}

describe('The OpenAPI document of the public routes', () => {
  it('When an app reads /openapi.json, then it lists exactly the public routes and its examples pass their schemas', async () => {
    const { url, app } = await userService();

    const answer = await call(url, 'GET', '/openapi.json');

    expect(answer.status).to.equal(200);
    expect(answer.body.openapi).to.equal('3.1.0');
    expect(openApiFindings(app, answer.body, USER_API)).to.deep.equal([]);
  });

  it('When a client reads the sign-up route, then it sees the body the route checks, from its zod schema', async () => {
    const { url } = await userService();

    const answer = await call(url, 'GET', '/openapi.json');

    const { paths } = answer.body as { paths: Record<string, Record<string, Operation>> };
    const register = paths['/api/auth/register']!.post!;
    const schema = register.requestBody.content['application/json']!.schema;
    expect(schema.required).to.have.members(['email', 'password', 'name']);
    expect(schema.properties.password!.minLength).to.equal(10);
    expect(schema.additionalProperties).to.equal(false);
    expect(Object.keys(register.responses)).to.include.members(['201', '400', '409', '429']);
    expect(paths).to.not.have.any.keys('/internal/users/{id}', '/metrics', '/healthz');
  });
});
