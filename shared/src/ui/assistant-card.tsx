import { For, Show } from 'solid-js';
import type { BookingLabels } from '../contract/api.js';
import type { ThreadSummary } from '../contract/model.js';
import { answerRows, assistantActive, assistantStep, bookedByText, handOffLine, serviceLabel, slotText } from './assistant-format.js';
import { now } from './clock.js';

export interface AssistantCardProps {
  thread: ThreadSummary;
  labels?: BookingLabels;
  /** The location's zone: the appointment is read in it. */
  timezone: string;
  busy: boolean;
  /** Offered while the assistant has an unclaimed caller: claims it, and the relay hands the conversation over. */
  onTakeOver?: () => void;
}

/**
 * What the booking assistant did with this caller: where the conversation stands (or why it handed over), the
 * booking, the answers so far and the wish, so whoever takes over does not ask again. Compact: the conversation
 * below it must keep most of a 720 px side panel.
 */
export function AssistantCard(props: AssistantCardProps) {
  const t = () => props.thread;
  const a = () => t().assistant;
  const b = () => t().booking;
  const active = () => assistantActive(t());
  const tone = () => (b() ? 'green' : active() ? 'assistant' : t().status === 'open' && !t().claim ? 'amber' : 'grey');
  const status = () => {
    const s = a();
    if (!s || (b() && s.step === 'booked')) return null;
    if (active()) return { head: 'Assistant is handling this', rest: assistantStep(s, props.labels) };
    const why = handOffLine(t());
    if (why) return { head: 'Assistant handed this to staff', rest: why };
    return s.step === 'booked' ? { head: 'Assistant booked this caller', rest: null } : { head: 'Assistant stopped', rest: null };
  };
  const answers = () => (a() ? answerRows(a()!, props.labels) : []);
  return (
    <section class="rb-assist" data-tone={tone()} aria-label="Booking assistant" data-testid="assistant-card">
      <Show when={b()}>
        {(bk) => (
          <p class="rb-assist-booking">
            <span aria-hidden="true">✓ </span>
            <strong>Booked: {bk().serviceLabel || serviceLabel(bk().serviceId, props.labels)}</strong>
            {' · '}
            <span class="rb-num">{slotText(bk().start, bk().end, props.timezone, now())}</span>
            <span class="rb-assist-by">{bookedByText(bk())}</span>
          </p>
        )}
      </Show>
      <Show when={status()}>
        {(s) => (
          <div class="rb-assist-head">
            <p class="rb-assist-status">
              <span aria-hidden="true">◆ </span>
              <strong>{s().head}</strong>
              {s().rest ? ` — ${s().rest}` : ''}
            </p>
            <Show when={active() && props.onTakeOver}>
              <button
                type="button"
                class="rb-btn rb-btn-primary"
                disabled={props.busy}
                aria-keyshortcuts="c"
                title="Stops the assistant and claims this caller for you"
                onClick={() => props.onTakeOver!()}
              >
                Take over
              </button>
            </Show>
          </div>
        )}
      </Show>
      {/* The times offered are the newest text, right below in the conversation: not repeated here. */}
      <Show when={answers().length > 0}>
        <dl class="rb-answers">
          <For each={answers()}>
            {(r) => (
              <div>
                <dt>{r.question}</dt>
                <dd>{r.answer}</dd>
              </div>
            )}
          </For>
        </dl>
      </Show>
    </section>
  );
}
