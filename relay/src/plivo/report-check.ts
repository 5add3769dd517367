import type { Data } from '../store/data.js';
import { own } from '../store/own.js';

/**
 * A delivery report counts only for the message its URL names (`?m=`): its MessageUUID must be the Plivo uuid
 * our send recorded for that message. The one exception is a report that beats the send API's answer: while
 * the send is still in flight (no uuid recorded yet) it may name a uuid that belongs to no other message.
 */
export function reportMatchesMessage(
  data: Data,
  messageId: string | undefined,
  uuid: string,
  ownerOfUuid: (uuid: string) => string | undefined,
): boolean {
  const message = messageId ? own(data.messages, messageId) : undefined;
  // No message named (or it was archived): the report is matched by its uuid, unless that is another message's.
  if (!message) return messageId === undefined || ownerOfUuid(uuid) === undefined || ownerOfUuid(uuid) === messageId;
  if (message.direction !== 'out') return false;
  if (message.plivoUuid) return message.plivoUuid === uuid;
  const owner = ownerOfUuid(uuid);
  return (message.status === 'sending' || message.status === 'unknown') && (owner === undefined || owner === message.id);
}
