import { expect } from 'chai';
import nodemailer, { type Transporter } from 'nodemailer';
import { startSmtpSandbox, type SmtpSandbox } from '../src/index.js';

describe('SMTP sandbox', () => {
  let sandbox: SmtpSandbox;
  let transport: Transporter;

  beforeEach(async () => {
    sandbox = await startSmtpSandbox();
    // As notification-service sends: a pooled transport kept open between messages.
    transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: sandbox.smtpPort,
      secure: false,
      ignoreTLS: true,
      pool: true,
    });
  });

  afterEach(async () => {
    transport.close();
    await sandbox.close();
  });

  const mail = (subject: string) => ({
    from: '"Escalable shop" <no-reply@escalable.test>',
    to: 'ana@example.com',
    bcc: 'audit@escalable.test',
    subject,
    text: 'Welcome, Ana.',
    html: '<p>Welcome, <b>Ana</b>.</p>',
  });

  it('When Nodemailer sends an HTML and text message, then the inbox keeps it, over the API and over HTTP, newest first', async () => {
    // Arrange
    await transport.sendMail(mail('First'));

    // Act
    const info = await transport.sendMail(mail('Welcome to the shop'));

    // Assert
    expect(info.accepted).to.deep.equal(['ana@example.com', 'audit@escalable.test']);
    const [newest, oldest] = sandbox.messages();
    expect(newest).to.include({
      from: 'no-reply@escalable.test',
      subject: 'Welcome to the shop',
      text: 'Welcome, Ana.',
      html: '<p>Welcome, <b>Ana</b>.</p>',
    });
    expect(newest!.to).to.deep.equal(['ana@example.com', 'audit@escalable.test']);
    expect(Date.parse(newest!.date)).to.be.closeTo(Date.now(), 5_000);
    expect(oldest!.subject).to.equal('First');
    const res = await fetch(`${sandbox.httpUrl}/api/messages`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal(sandbox.messages());
  });

  it('When DELETE /api/messages is called, then the inbox is empty', async () => {
    // Arrange
    await transport.sendMail(mail('Old news'));

    // Act
    const res = await fetch(`${sandbox.httpUrl}/api/messages`, { method: 'DELETE' });

    // Assert
    expect(res.status).to.equal(204);
    expect(sandbox.messages()).to.deep.equal([]);
    expect(await (await fetch(`${sandbox.httpUrl}/api/messages`)).json()).to.deep.equal([]);
  });

  it('When the next message is refused with 421, then Nodemailer sees the temporary refusal and the one after it is delivered', async () => {
    // Arrange
    sandbox.refuseNext(1, { code: 421, message: 'Try again later' });

    // Act
    const refused = await transport.sendMail(mail('Refused')).catch((error: unknown) => error);
    const delivered = await transport.sendMail(mail('Delivered'));

    // Assert
    expect(refused).to.be.instanceOf(Error);
    expect((refused as { responseCode?: number }).responseCode).to.equal(421);
    expect(delivered.accepted).to.have.length(2);
    expect(sandbox.messages().map((message) => message.subject)).to.deep.equal(['Delivered']);
  });

  it('When the next message is refused with 550, then Nodemailer sees a permanent refusal and nothing is kept', async () => {
    // Arrange
    sandbox.refuseNext(1, { code: 550, message: 'Mailbox unavailable' });

    // Act
    const refused = await transport.sendMail(mail('Refused')).catch((error: unknown) => error);

    // Assert
    expect((refused as { responseCode?: number }).responseCode).to.equal(550);
    expect((refused as Error).message).to.include('Mailbox unavailable');
    expect(sandbox.messages()).to.deep.equal([]);
  });

  it('When SMTP is down, then sending fails to connect, and once it is up again the same pooled transport delivers', async () => {
    // Arrange: the pool holds an open connection from an earlier message.
    await transport.sendMail(mail('Before'));
    await sandbox.setDown(true);

    // Act
    const whileDown = await transport.sendMail(mail('While down')).catch((error: unknown) => error);
    await sandbox.setDown(false);
    const afterwards = await transport.sendMail(mail('After'));

    // Assert
    expect(whileDown).to.be.instanceOf(Error);
    expect((whileDown as { code?: string }).code).to.be.oneOf(['ECONNECTION', 'ESOCKET']);
    expect(afterwards.accepted).to.have.length(2);
    expect(sandbox.messages().map((message) => message.subject)).to.deep.equal(['After', 'Before']);
  });

  it('When the inbox pages are opened, then they list the message and show its HTML escaped in a sandboxed frame', async () => {
    // Arrange
    await transport.sendMail({
      ...mail('<script>alert(1)</script> Offer'),
      html: '<p onclick="x()">"Hi" & <script>alert(2)</script></p>',
    });
    const [message] = sandbox.messages();

    // Act
    const list = await (await fetch(`${sandbox.httpUrl}/`)).text();
    const res = await fetch(`${sandbox.httpUrl}/messages/${message!.id}`);
    const page = await res.text();

    // Assert
    expect(list).to.include(`href="/messages/${message!.id}"`);
    expect(list).to.include('&lt;script&gt;alert(1)&lt;/script&gt; Offer');
    expect(list).not.to.include('<script>');
    expect(res.headers.get('content-security-policy')).to.include("default-src 'none'");
    expect(page).to.include(
      '<iframe sandbox title="HTML body" srcdoc="&lt;p onclick=&quot;x()&quot;&gt;&quot;Hi&quot; &amp; &lt;script&gt;alert(2)&lt;/script&gt;&lt;/p&gt;">',
    );
    expect(page).not.to.include('<script>');
    expect((await fetch(`${sandbox.httpUrl}/messages/no-such-id`)).status).to.equal(404);
  });
});
