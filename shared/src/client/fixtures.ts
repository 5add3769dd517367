import type { Message, ThreadSummary } from '../contract/model.js';
import { formatPhone } from '../domain/phone.js';

/** Test data builders for the client and UI tests. */
export function aThread(over: Partial<ThreadSummary> = {}): ThreadSummary {
  const at = over.lastMissedAt ?? new Date(Date.now() - 60_000).toISOString();
  return {
    id: 't1',
    seq: 1,
    locationId: 'main',
    trackingNumber: '+15125550100',
    caller: over.caller ?? '+15125551077',
    callerDisplay: formatPhone(over.caller ?? '+15125551077'),
    callerName: null,
    status: 'open',
    openedAt: at,
    updatedAt: at,
    lastMissedAt: at,
    missedCount: 1,
    lineType: 'mobile',
    optedOut: false,
    textBack: { state: 'delivered', reason: null, messageId: 'm0', at },
    voicemail: null,
    claim: null,
    resolution: null,
    lastMessage: null,
    ...over,
  };
}

export function aMessage(over: Partial<Message> = {}): Message {
  return {
    id: 'm1',
    threadId: 't1',
    seq: 2,
    direction: 'in',
    kind: 'inbound',
    text: 'hello',
    at: new Date().toISOString(),
    sentAt: null,
    status: 'received',
    statusReason: null,
    plivoUuid: null,
    staffId: null,
    staffName: null,
    clientId: null,
    ...over,
  };
}
