import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import type { EventActor, OutboxEvent, OutboxNotice } from './outbox.types.js';

/**
 * The outbox event for a notice: a new UUIDv7, the time now, and the notice's data with `actor` set last
 * (a mapper cannot name someone else as the actor).
 */
export function outboxEventOf(notice: OutboxNotice, actor: EventActor, clock: Clock): OutboxEvent {
  return {
    id: newId(),
    type: notice.type,
    occurredAt: clock.now().toISOString(),
    data: { ...notice.data, actor },
  };
}
