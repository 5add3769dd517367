import type { Message } from '@ringback/shared';
import { describe, expect, it } from 'vitest';
import { emptyData } from '../store/data.js';
import { reportMatchesMessage } from './report-check.js';

describe('delivery report ownership', () => {
  const msg = (patch: Partial<Message>): Message => ({ id: 'msg_a', direction: 'out', plivoUuid: null, status: 'sent', ...patch }) as Message;
  const data = (m: Message) => ({ ...emptyData(), messages: { [m.id]: m } });
  const owners: Record<string, string> = { 'uuid-b': 'msg_b' };
  const owner = (u: string) => owners[u];

  it('accepts only the uuid the send recorded', () => {
    const d = data(msg({ plivoUuid: 'uuid-a' }));
    expect(reportMatchesMessage(d, 'msg_a', 'uuid-a', owner)).toBe(true);
    expect(reportMatchesMessage(d, 'msg_a', 'uuid-b', owner)).toBe(false);
    expect(reportMatchesMessage(d, 'msg_a', 'random', owner)).toBe(false);
    // A message no longer in the hot data cannot lend its report to another message's uuid.
    expect(reportMatchesMessage(d, 'msg_gone', 'uuid-b', owner)).toBe(false);
    expect(reportMatchesMessage(d, 'msg_gone', 'uuid-unknown', owner)).toBe(true);
    expect(reportMatchesMessage(d, undefined, 'uuid-b', owner)).toBe(true);
  });

  it('lets a report beat the send answer only while the send is in flight, and never with another message uuid', () => {
    expect(reportMatchesMessage(data(msg({ status: 'sending' })), 'msg_a', 'uuid-new', owner)).toBe(true);
    expect(reportMatchesMessage(data(msg({ status: 'unknown' })), 'msg_a', 'uuid-new', owner)).toBe(true);
    expect(reportMatchesMessage(data(msg({ status: 'sending' })), 'msg_a', 'uuid-b', owner)).toBe(false);
    expect(reportMatchesMessage(data(msg({ status: 'failed' })), 'msg_a', 'uuid-new', owner)).toBe(false);
    expect(reportMatchesMessage(data(msg({ status: 'sending', direction: 'in' })), 'msg_a', 'uuid-new', owner)).toBe(false);
  });
});
