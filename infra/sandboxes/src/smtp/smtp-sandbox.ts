import { randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { listenHttp } from '../http/listen.js';
import { RecentList } from '../recent-list.js';
import { inboxApp } from './inbox-app.js';

/** One e-mail the sandbox received. */
export interface SandboxMessage {
  id: string;
  /** The From header's address (the envelope sender when the header has none). */
  from: string;
  /** Every mailbox it was delivered to: the envelope recipients, Cc and Bcc included. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** When the sandbox received it, ISO 8601. */
  date: string;
}

export interface SmtpSandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 or omitted: a free port. */
  smtpPort?: number;
  /** The inbox's HTTP port; 0 or omitted: a free port. */
  httpPort?: number;
}

export interface SmtpReply {
  /** 4xx temporary (421 also closes the connection), 5xx permanent. */
  code: number;
  message: string;
}

export interface SmtpSandbox {
  smtpPort: number;
  /** The inbox: `GET /api/messages`, `DELETE /api/messages`, and pages at `/`. */
  httpUrl: string;
  /** Newest first. */
  messages(): SandboxMessage[];
  clear(): void;
  /** The next `count` messages are refused at MAIL FROM with `reply`. */
  refuseNext(count: number, reply: SmtpReply): void;
  /** Down: nothing listens on smtpPort and open connections are cut; up: it listens again. */
  setDown(down: boolean): Promise<void>;
  close(): Promise<void>;
}

// Nodemailer's default for a message is 10 MB too.
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** A real SMTP server that keeps what it receives, with a Mailpit-like inbox over HTTP. */
export async function startSmtpSandbox(options: SmtpSandboxOptions = {}): Promise<SmtpSandbox> {
  const host = options.host ?? '127.0.0.1';
  const inbox = new RecentList<SandboxMessage>((message) => message.id);
  const refusals: SmtpReply[] = [];

  const receive = async (stream: SMTPServerDataStream, session: SMTPServerSession) => {
    const parsed = await simpleParser(stream);
    inbox.add({
      id: randomUUID(),
      from: addresses(parsed.from)[0] ?? (session.envelope.mailFrom || undefined)?.address ?? '',
      to: session.envelope.rcptTo.map((recipient) => recipient.address),
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
      date: new Date().toISOString(),
    });
  };

  const smtp = new SmtpListener(
    () =>
      new SMTPServer({
        // Plain SMTP, as a local relay: smtp-server's built-in STARTTLS certificate has expired,
        // and a sandbox has nothing to protect. Production points SMTP_HOST at a TLS server.
        disabledCommands: ['STARTTLS'],
        authOptional: true,
        // A client configured with SMTP credentials (as in production) may still sign in here.
        allowInsecureAuth: true,
        onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
        size: MAX_MESSAGE_BYTES,
        logger: false,
        onMailFrom: (_address, _session, callback) => {
          const refusal = refusals.shift();
          if (!refusal) return callback();
          callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
        },
        onData: (stream, session, callback) => {
          receive(stream, session).then(
            () => callback(),
            (error: Error) => {
              stream.resume();
              callback(Object.assign(error, { responseCode: 451 }));
            },
          );
        },
      }),
  );
  const smtpPort = await smtp.listen(host, options.smtpPort ?? 0);
  const http = await listenHttp(inboxApp(inbox), host, options.httpPort ?? 0).catch(async (error) => {
    await smtp.close();
    throw error;
  });

  return {
    smtpPort,
    httpUrl: http.url,
    messages: () => inbox.all(),
    clear: () => inbox.clear(),
    refuseNext(count, reply) {
      for (let i = 0; i < count; i++) refusals.push({ ...reply });
    },
    async setDown(down) {
      if (down) await smtp.close();
      else await smtp.listen(host, smtpPort);
    },
    async close() {
      await Promise.all([smtp.close(), http.close()]);
    },
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.flatMap((entry) => (entry.address ? [entry.address] : [])));
}

/** An SMTP server that can stop and listen again on the same port: a new SMTPServer each time. */
class SmtpListener {
  #server: SMTPServer | undefined;
  #sockets = new Set<Socket>();

  constructor(private readonly create: () => SMTPServer) {}

  async listen(host: string, port: number): Promise<number> {
    if (this.#server) return (this.#server.server.address() as AddressInfo).port;
    const server = this.create();
    // A client that drops its connection (or one cut by close()) is no failure of the sandbox,
    // and an unhandled 'error' event would end the process hosting it.
    server.on('error', () => undefined);
    server.server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, host, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    return (server.server.address() as AddressInfo).port;
  }

  /** Cuts open connections at once, as a crashed server would, rather than waiting for them. */
  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}
