import { problems, type Delivery } from '@escalable/shop-sdk';
import { deliveryById, listDeliveries, requeueDelivery } from '../db/deliveries.js';
import { inTransaction } from '../db/notifications.js';
import { deliveryView } from './delivery-views.js';

/**
 * Puts a failed delivery back in line with a fresh count of attempts, for staff who fixed what made it
 * fail. Any other status is a 409: a delivery in flight or sent must not be sent again.
 */
export async function retryFailedDelivery(deliveryId: string): Promise<Delivery> {
  await inTransaction(async (transaction) => {
    const delivery = await deliveryById(deliveryId, transaction);
    if (!delivery) throw problems.notFound('The delivery');
    if (delivery.status !== 'failed')
      throw problems.conflict(
        'delivery-not-failed',
        `Only a failed delivery can be retried; this one is ${delivery.status}`,
        {
          status: delivery.status,
        },
      );
    await requeueDelivery(deliveryId, transaction);
  });
  const { rows } = await listDeliveries({ id: deliveryId }, { limit: 1, offset: 0 });
  return deliveryView(rows[0]!);
}
