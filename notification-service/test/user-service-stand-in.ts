import { randomUUID } from 'node:crypto';
import { type UserContact } from '@escalable/shop-sdk';
import { verifyServiceToken } from '@escalable/shop-sdk/internal';
import { startStandIn, type ListeningServer } from '@escalable/shop-sdk/testing';

export interface UserServiceStandIn extends ListeningServer {
  /** A user with an e-mail, no phone and Spanish unless `fields` say otherwise. */
  addUser(fields?: Partial<Omit<UserContact, 'id'>>): UserContact;
  /** While true, every contact read answers 503, as user-service failing would. */
  down: boolean;
}

/**
 * user-service as notification-service sees it: GET /internal/users/:id/contact per UserServiceClient's
 * contract, with service credentials checked, over users the test controls.
 */
export async function startUserServiceStandIn(serviceSecret: string): Promise<UserServiceStandIn> {
  const users = new Map<string, UserContact>();
  const control = { down: false };
  const server = await startStandIn((app) => {
    app.get('/internal/users/:id/contact', (req, res) => {
      try {
        verifyServiceToken(/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '', serviceSecret);
      } catch {
        res
          .status(401)
          .type('application/problem+json')
          .json({ type: 'unauthorized', title: 'Unauthorized' });
        return;
      }
      if (control.down) {
        res.status(503).type('application/problem+json').json({ type: 'unavailable', title: 'Unavailable' });
        return;
      }
      const user = users.get(req.params.id);
      if (!user) {
        res.status(404).type('application/problem+json').json({ type: 'not-found', title: 'Not found' });
        return;
      }
      res.json(user);
    });
  });
  return {
    ...server,
    get down() {
      return control.down;
    },
    set down(value: boolean) {
      control.down = value;
    },
    addUser(fields = {}) {
      const id = randomUUID();
      const user: UserContact = {
        id,
        email: `user-${id.slice(0, 8)}@example.com`,
        name: 'Ana',
        phone: null,
        locale: 'es',
        ...fields,
      };
      users.set(id, user);
      return user;
    },
  };
}
