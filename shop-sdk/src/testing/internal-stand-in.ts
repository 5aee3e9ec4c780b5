import type { Express, Response } from 'express';
import { verifyServiceToken } from '../auth/service-token.js';
import { startStandIn, type ListeningServer } from './http-server.js';

export interface InternalStandIn extends ListeningServer {
  /** Every request as it came, in order of arrival. */
  received: Array<{ method: string; path: string; body: unknown; headers: Record<string, unknown> }>;
  /** While true, every request fails as `whenDown` says, as the service down would. */
  down: boolean;
}

export interface InternalStandInOptions {
  /**
   * How the service fails while `down`: `unavailable` answers 503 upstream-unavailable (an instance
   * behind the gateway gone), `drop` destroys the connection unanswered (a crashed process).
   */
  whenDown?: 'unavailable' | 'drop';
}

/** Answers a stand-in's refusal as application/problem+json, as the real service's kit would. */
export function answerProblem(res: Response, status: number, type: string, extensions: object = {}): void {
  res
    .status(status)
    .type('application/problem+json')
    .json({ type, title: type, status, ...extensions });
}

/**
 * Another service's internal API as the service under test sees it: `routes` mounted behind the
 * two checks every internal API makes, up (see `down`) and service credentials signed with
 * `serviceSecret` (401 otherwise). The verified caller is in `res.locals.caller`.
 */
export async function startInternalStandIn(
  serviceSecret: string,
  routes: (app: Express) => void,
  options: InternalStandInOptions = {},
): Promise<InternalStandIn> {
  const control = { down: false };
  const server = await startStandIn((app) => {
    app.use((req, res, next) => {
      if (control.down) {
        if (options.whenDown === 'drop') req.socket.destroy();
        else answerProblem(res, 503, 'upstream-unavailable');
        return;
      }
      if (req.path.startsWith('/internal/')) {
        try {
          const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
          res.locals.caller = verifyServiceToken(token, serviceSecret);
        } catch {
          answerProblem(res, 401, 'unauthorized');
          return;
        }
      }
      next();
    });
    routes(app);
  });
  // An accessor, so that setting `down` on the stand-in (or on an object made from it with
  // Object.assign) reaches the check above.
  return Object.defineProperty(server, 'down', {
    enumerable: true,
    get: () => control.down,
    set: (value: boolean) => {
      control.down = value;
    },
  }) as InternalStandIn;
}
