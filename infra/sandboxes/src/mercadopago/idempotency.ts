import type { NextFunction, Request, Response } from 'express';

// As many answers as a sandbox left running for days needs to replay; the oldest go first.
const KEPT = 1000;

interface StoredAnswer {
  status: number;
  body: unknown;
}

/**
 * X-Idempotency-Key as MercadoPago honours it: a write sent again with the same key gets the first
 * answer again and changes nothing. Only successes are kept, so a request refused (or failed on
 * purpose) can be sent again, corrected, under its key.
 */
export function idempotencyKeys() {
  const answers = new Map<string, StoredAnswer>();
  return (req: Request, res: Response, next: NextFunction) => {
    const key = req.get('x-idempotency-key');
    if (!key || req.method === 'GET') return next();
    const slot = `${req.method} ${req.baseUrl}${req.path} ${key}`;
    const stored = answers.get(slot);
    if (stored) return void res.status(stored.status).json(stored.body);
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode >= 200 && res.statusCode < 300) {
        answers.set(slot, { status: res.statusCode, body });
        if (answers.size > KEPT) answers.delete(answers.keys().next().value!);
      }
      return json(body);
    };
    next();
  };
}
