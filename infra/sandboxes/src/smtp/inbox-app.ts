import express from 'express';
import type { RecentList } from '../recent-list.js';
import { messagePage, inboxPage } from './inbox-pages.js';
import type { SandboxMessage } from './smtp-sandbox.js';

// The pages show mail bodies, which are hostile input: no script runs, and a message's own HTML is
// confined to a sandboxed iframe (srcdoc inherits this policy too).
const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; frame-src 'self'";

/** The inbox over HTTP, in the manner of Mailpit. */
export function inboxApp(inbox: RecentList<SandboxMessage>): express.Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/api/messages', (_req, res) => {
    res.json(inbox.all());
  });
  app.get('/api/messages/:id', (req, res) => {
    const message = inbox.find(req.params.id);
    if (message) res.json(message);
    else res.status(404).json({ error: `no message ${req.params.id}` });
  });
  app.delete('/api/messages', (_req, res) => {
    inbox.clear();
    res.status(204).end();
  });

  app.get('/', (_req, res) => {
    res.set('Content-Security-Policy', PAGE_POLICY).type('html').send(inboxPage(inbox.all()));
  });
  app.get('/messages/:id', (req, res) => {
    const message = inbox.find(req.params.id);
    if (!message) return void res.status(404).type('text').send(`no message ${req.params.id}`);
    res.set('Content-Security-Policy', PAGE_POLICY).type('html').send(messagePage(message));
  });
  return app;
}
