import { randomUUID } from 'node:crypto';
import { type UserContact } from '@escalable/shop-sdk';
import { answerProblem, startInternalStandIn, type InternalStandIn } from '@escalable/shop-sdk/testing';

/** While `down`, every contact read answers 503, as user-service failing would. */
export interface UserServiceStandIn extends InternalStandIn {
  /** A user with an e-mail, no phone and Spanish unless `fields` say otherwise. */
  addUser(fields?: Partial<Omit<UserContact, 'id'>>): UserContact;
}

/**
 * user-service as notification-service sees it: GET /internal/users/:id/contact per UserServiceClient's
 * contract, with service credentials checked, over users the test controls.
 */
export async function startUserServiceStandIn(serviceSecret: string): Promise<UserServiceStandIn> {
  const users = new Map<string, UserContact>();
  const server = await startInternalStandIn(serviceSecret, (app) => {
    app.get('/internal/users/:id/contact', (req, res) => {
      const user = users.get(req.params.id);
      if (!user) return answerProblem(res, 404, 'not-found');
      res.json(user);
    });
  });
  return Object.assign(server, {
    addUser(fields: Partial<Omit<UserContact, 'id'>> = {}) {
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
  });
}
