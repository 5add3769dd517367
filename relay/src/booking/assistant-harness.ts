import type { BusinessConfigInput, ThreadSummary } from '@ringback/shared';
import { own } from '../store/own.js';
import { CALLER, startTestRelay, testBusiness, waitFor, type TestRelay } from '../testing/harness.js';

/** A test relay whose demo location has the booking assistant on, on a clock the test moves. */
export interface BookingRelay extends TestRelay {
  clock: { at: number };
  /** Texts the sandbox line delivered to a number, oldest first. */
  textsTo(number?: string): Promise<string[]>;
  /** A minute later, text as the caller and wait for the assistant's next text (the one matching `expect`, when given). */
  say(text: string, expect?: RegExp, from?: string): Promise<string>;
  thread(caller?: string): ThreadSummary;
}

export async function startBookingRelay(
  at: string,
  patch: (c: BusinessConfigInput) => void = () => {},
  opts: Parameters<typeof startTestRelay>[0] = {},
): Promise<BookingRelay> {
  const clock = { at: Date.parse(at) };
  const business = testBusiness((c) => {
    c.locations[0]!.booking!.assistant = 'always';
    patch(c);
  });
  const relay = await startTestRelay({ business, now: () => new Date(clock.at), ...opts });
  const textsTo = async (number = CALLER) => (await relay.sent()).filter((m) => m.to.replace(/^\+?/, '+') === number).map((m) => m.text);
  return {
    ...relay,
    clock,
    textsTo,
    async say(text, expect, from = CALLER) {
      // The text-back goes out first: a reply stamped at the instant it was sent reads as an auto-responder.
      const textBack = Object.values(relay.store.data.threads).find((x) => x.caller === from)?.textBack?.messageId;
      if (textBack) await waitFor(() => own(relay.store.data.messages, textBack)?.sentAt, 'the text-back sent before the reply');
      const before = (await textsTo(from)).length;
      // A person answers in a minute, not within the seconds that mark an auto-responder.
      clock.at += 60_000;
      await relay.sms(text, from);
      await relay.assistant.idle();
      return waitFor(async () => {
        const fresh = (await textsTo(from)).slice(before);
        return expect ? fresh.find((t) => expect.test(t)) : fresh[0];
      }, `an answer to "${text}"${expect ? ` matching ${expect}` : ''}`);
    },
    thread(caller = CALLER) {
      const t = Object.values(relay.store.data.threads).find((x) => x.caller === caller);
      if (!t) throw new Error(`no thread for ${caller}`);
      return t;
    },
  };
}
