import { expect } from 'chai';
import { createLogger, openApiFindings } from '@escalable/shop-sdk/server';
import { buildApp, buildDependencies } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { NOTIFICATION_API } from '../src/routes/openapi.js';
import {
  call,
  notificationService,
  SERVICE_SECRET,
  signingKey,
  TWILIO_ACCOUNT_SID,
  TWILIO_AUTH_TOKEN,
} from './harness.js';

describe('The OpenAPI document of the public routes', () => {
  it('When an app reads /openapi.json, then it lists exactly the public routes and its examples pass their schemas', async () => {
    const { url, db, users, twilio, gateway } = await notificationService();
    const logger = createLogger('notification-service', 'silent');
    const config = readConfig({
      DATABASE_URL: 'postgres://walked-only@127.0.0.1/unused',
      SERVICE_SECRET,
      JWT_PUBLIC_KEY: signingKey.publicKeyPem,
      USER_SERVICE_URL: users.url,
      SMTP_HOST: '127.0.0.1',
      MAIL_FROM: 'Escalable <no-reply@escalable.test>',
      TWILIO_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: twilio.url,
      PUBLIC_BASE_URL: gateway.url,
    });
    const deps = buildDependencies(config, logger);
    // The same app the service runs, built here so its router can be walked.
    const app = buildApp({ config, db, logger, deps });

    const answer = await call(url, 'GET', '/openapi.json');
    deps.email.close();

    expect(answer.status).to.equal(200);
    expect(openApiFindings(app, answer.body, NOTIFICATION_API)).to.deep.equal([]);
  });
});
