import { expect } from 'chai';
import twilio from 'twilio';
import { startTwilioSandbox, type TwilioSandbox } from '../src/index.js';
import { startCallbackReceiver } from './callback-receiver.js';

const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
const AUTH_TOKEN = 'b2'.repeat(16);
const FROM = '+15005550006';

describe('Twilio sandbox', () => {
  let sandbox: TwilioSandbox;

  beforeEach(async () => {
    sandbox = await startTwilioSandbox({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      callbackDelayMs: 20,
    });
  });

  afterEach(() => sandbox.close());

  function clientWith(authToken = AUTH_TOKEN) {
    const client = twilio(ACCOUNT_SID, authToken);
    client.api.baseUrl = sandbox.url;
    return client;
  }

  const rejectionOf = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.fail('the send should have been refused'),
      (error: unknown) => error as { status: number; code: number; message: string },
    );

  it('When the twilio package sends an SMS, then it gets the queued message and the sandbox keeps it, over the API and over HTTP', async () => {
    // Act
    const message = await clientWith().messages.create({
      to: '+5491155550000',
      from: FROM,
      body: 'Hola Ana',
    });

    // Assert
    expect(message.sid).to.match(/^SM[0-9a-f]{32}$/);
    expect(message).to.include({ status: 'queued', to: '+5491155550000', from: FROM, body: 'Hola Ana' });
    expect(message.accountSid).to.equal(ACCOUNT_SID);
    expect(message.dateCreated).to.be.instanceOf(Date);
    expect(sandbox.messages()).to.have.length(1);
    expect(sandbox.messages()[0]).to.include({
      sid: message.sid,
      accountSid: ACCOUNT_SID,
      to: '+5491155550000',
      from: FROM,
      messagingServiceSid: null,
      body: 'Hola Ana',
      statusCallback: null,
    });
    // The status moves on by itself (sent, delivered), so only the fixed fields are compared.
    const [listed] = (await (await fetch(`${sandbox.url}/api/messages`)).json()) as object[];
    expect(listed).to.include({ sid: message.sid, to: '+5491155550000', from: FROM, body: 'Hola Ana' });
    const fetched = await clientWith().messages(message.sid).fetch();
    expect(fetched.body).to.equal('Hola Ana');
  });

  it("When the SMS goes through a messaging service with no From, then Twilio's accepted message comes back without a sender", async () => {
    // Arrange
    const messagingServiceSid = `MG${'c3'.repeat(16)}`;

    // Act
    const message = await clientWith().messages.create({
      to: '+5491155550000',
      messagingServiceSid,
      body: 'Hola',
    });

    // Assert
    expect(message).to.include({ status: 'accepted', from: null, messagingServiceSid });
    expect(sandbox.messages()[0]).to.include({ from: null, messagingServiceSid });
  });

  it('When neither From nor MessagingServiceSid is given, then the client gets 400 with code 21603', async () => {
    // Act
    const error = await rejectionOf(clientWith().messages.create({ to: '+5491155550000', body: 'Hola' }));

    // Assert
    expect([error.status, error.code]).to.deep.equal([400, 21603]);
  });

  it('When the auth token is wrong, then the client gets 401 with code 20003 and nothing is sent', async () => {
    // Act
    const error = await rejectionOf(
      clientWith('wrong-token').messages.create({ to: '+5491155550000', from: FROM, body: 'Hola' }),
    );

    // Assert
    expect(error.status).to.equal(401);
    expect(error.code).to.equal(20003);
    expect(sandbox.messages()).to.deep.equal([]);
  });

  it('When the To number is not E.164, then the client gets 400 with code 21211', async () => {
    // Act
    const error = await rejectionOf(
      clientWith().messages.create({ to: '1155550000', from: FROM, body: 'Hola' }),
    );

    // Assert
    expect(error.status).to.equal(400);
    expect(error.code).to.equal(21211);
    expect(error.message).to.include('1155550000');
    expect(sandbox.messages()).to.deep.equal([]);
  });

  it("When the To number is one of Twilio's magic test numbers, then the client gets that number's documented error", async () => {
    // Act
    const invalid = await rejectionOf(
      clientWith().messages.create({ to: '+15005550001', from: FROM, body: 'Hi' }),
    );
    const noSms = await rejectionOf(
      clientWith().messages.create({ to: '+15005550009', from: FROM, body: 'Hi' }),
    );

    // Assert
    expect([invalid.status, invalid.code]).to.deep.equal([400, 21211]);
    expect([noSms.status, noSms.code]).to.deep.equal([400, 21614]);
  });

  it('When the next call is set to fail with 503, then the client sees the error and the call after it succeeds', async () => {
    // Arrange
    sandbox.failNext(1, 503);

    // Act
    const error = await rejectionOf(
      clientWith().messages.create({ to: '+5491155550000', from: FROM, body: 'Hola' }),
    );
    const message = await clientWith().messages.create({ to: '+5491155550000', from: FROM, body: 'Hola' });

    // Assert
    expect(error.status).to.equal(503);
    expect(error.code).to.equal(20503);
    expect(message.status).to.equal('queued');
    expect(sandbox.messages()).to.have.length(1);
  });

  it('When a message has a StatusCallback, then sent and delivered arrive there signed so that twilio.validateRequest accepts them', async () => {
    // Arrange
    const receiver = await startCallbackReceiver();
    const statusCallback = `${receiver.url}/api/notifications/webhooks/twilio?delivery=42`;

    try {
      // Act
      const message = await clientWith().messages.create({
        to: '+5491155550000',
        from: FROM,
        body: 'Hola',
        statusCallback,
      });
      const callbacks = await receiver.waitFor(2);

      // Assert
      expect(callbacks.map((callback) => callback.params.MessageStatus)).to.deep.equal(['sent', 'delivered']);
      for (const callback of callbacks) {
        expect(callback.url).to.equal(statusCallback);
        expect(callback.params).to.include({
          MessageSid: message.sid,
          AccountSid: ACCOUNT_SID,
          To: '+5491155550000',
          From: FROM,
        });
        expect(
          twilio.validateRequest(AUTH_TOKEN, callback.signature!, statusCallback, callback.params),
        ).to.equal(true);
        expect(
          twilio.validateRequest('another-token', callback.signature!, statusCallback, callback.params),
        ).to.equal(false);
      }
      expect(sandbox.messages()[0]!.status).to.equal('delivered');
    } finally {
      await receiver.close();
    }
  });

  it('When the status callback answers 503, then the sandbox tries the same callback again', async () => {
    // Arrange
    const receiver = await startCallbackReceiver([503]);

    try {
      // Act
      await clientWith().messages.create({
        to: '+5491155550000',
        from: FROM,
        body: 'Hola',
        statusCallback: `${receiver.url}/status`,
      });
      const callbacks = await receiver.waitFor(3);

      // Assert
      expect(callbacks.map((callback) => callback.params.MessageStatus)).to.deep.equal([
        'sent',
        'sent',
        'delivered',
      ]);
      expect(callbacks[1]!.signature).to.equal(callbacks[0]!.signature);
    } finally {
      await receiver.close();
    }
  });
});
