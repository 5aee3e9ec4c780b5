import escapeHtml from 'escape-html';
import type { SandboxMessage } from './smtp-sandbox.js';

const STYLE = `body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ddd}a{color:#0645ad}
iframe{width:100%;height:32rem;border:1px solid #ccc}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** The list at `/`, newest first. */
export function inboxPage(messages: SandboxMessage[]): string {
  const rows = messages
    .map(
      (message) =>
        `<tr><td>${escapeHtml(message.date)}</td><td>${escapeHtml(message.from)}</td><td>${escapeHtml(message.to.join(', '))}</td>` +
        `<td><a href="/messages/${encodeURIComponent(message.id)}">${escapeHtml(message.subject || '(no subject)')}</a></td></tr>`,
    )
    .join('');
  const list =
    messages.length === 0
      ? '<p>No messages yet.</p>'
      : `<table><thead><tr><th>Received</th><th>From</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>`;
  return page('Inbox', `<h1>Inbox (${messages.length})</h1>${list}`);
}

/** One message: its HTML rendered in a sandboxed frame (no scripts, no forms), and its text. */
export function messagePage(message: SandboxMessage): string {
  const html = message.html
    ? `<h2>HTML</h2><iframe sandbox title="HTML body" srcdoc="${escapeHtml(message.html)}"></iframe>`
    : '';
  return page(
    message.subject || '(no subject)',
    `<p><a href="/">← Inbox</a></p><h1>${escapeHtml(message.subject || '(no subject)')}</h1>` +
      `<p>From ${escapeHtml(message.from)} to ${escapeHtml(message.to.join(', '))}, ${escapeHtml(message.date)}</p>` +
      `${html}<h2>Text</h2><pre>${escapeHtml(message.text)}</pre>`,
  );
}
