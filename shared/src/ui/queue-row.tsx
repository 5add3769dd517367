import { Show } from 'solid-js';
import type { ThreadSummary } from '../contract/model.js';
import type { RowState } from '../client/queue.js';
import { waitingSince } from '../client/queue.js';
import { assistantActive, shortWhen } from './assistant-format.js';
import { Chip } from './chip.js';
import { now } from './clock.js';
import { ClaimChip } from './claim-chip.js';
import { callerLabel, duration, textBackLabel } from './format.js';
import { RelTime } from './rel-time.js';

export interface QueueRowProps {
  thread: ThreadSummary;
  state: RowState;
  /** 0–3: how far past the claim SLA (rows shade by it). */
  late?: number;
  locationName: string;
  timezone: string;
  selected: boolean;
  onOpen: (id: string) => void;
  /** Picking rows for a bulk action: a checkbox beside the row, checked or not. */
  picked?: boolean;
  onPick?: (id: string) => void;
}

/** One caller: who, where, how long they have waited, whether we texted, the last words, who has it. */
export function QueueRow(props: QueueRowProps) {
  const t = () => props.thread;
  const tb = () => textBackLabel(t());
  // What matters first: the caller's own words, a voicemail, repeat calls; our automatic texts only say so.
  const snippet = () => {
    const m = t().lastMessage;
    const calls = t().missedCount > 1 ? `${t().missedCount} calls` : null;
    if (m?.direction === 'in') return { in: true, text: `↩ “${m.text}”` };
    if (m && m.kind === 'reply') return { in: false, text: `You: “${m.text}”` };
    if (m && m.kind === 'assistant') return { in: false, text: `Assistant: “${m.text}”` };
    if (t().voicemail) return { in: true, text: [`Voicemail ${duration(t().voicemail!.durationSec)}`, calls].filter(Boolean).join(' · ') };
    if (calls) return { in: true, text: calls };
    if (m && !m.kind) return { in: false, text: `You: “${m.text}”` };
    return { in: false, text: m ? `Missed call · automatic text: “${m.text}”` : 'Missed call' };
  };
  // The row's name is who, where, since when and its chips; the caller's words are its description, not its name.
  const snippetId = () => `rb-snippet-${t().id}`;
  // The assistant is serving this caller: that replaces "Unclaimed" (nobody needs to jump in), never "Over SLA".
  const withAssistant = () => assistantActive(t());
  const booked = () => t().booking;
  // A resolved booked thread names its appointment instead of saying "Booked" twice.
  const showClaim = () => !(withAssistant() && props.state === 'unclaimed') && !(booked() && t().resolution?.outcome === 'booked');
  return (
    <li class="rb-row-item">
      <Show when={props.onPick}>
        <input
          type="checkbox"
          class="rb-pick"
          checked={props.picked ?? false}
          aria-label={`Select ${callerLabel(t())}`}
          onChange={() => props.onPick!(t().id)}
        />
      </Show>
      <button
        type="button"
        aria-describedby={snippetId()}
        class="rb-row"
        data-state={props.state}
        data-late={props.late || undefined}
        data-urgent={t().urgent && t().status === 'open' ? 'true' : undefined}
        data-assistant={withAssistant() ? 'true' : undefined}
        data-thread-id={t().id}
        aria-current={props.selected ? 'true' : undefined}
        onClick={() => props.onOpen(t().id)}
      >
        <div class="rb-line">
          <span class="rb-caller">{callerLabel(t())}</span>
          <Show when={props.locationName}>
            <Sep />
            <span class="rb-loc">{props.locationName}</span>
          </Show>
          <span class="rb-grow" />
          <Sep />
          <Show when={t().status === 'open'} fallback={<span class="rb-when">resolved</span>}>
            <RelTime at={waitingSince(t())} timezone={props.timezone} prefix={t().lastMissedAt ? 'missed ' : 'opened '} suffix=" ago" />
          </Show>
        </div>
        <div class="rb-line">
          <span class="rb-snippet" id={snippetId()} aria-hidden="true" data-in={snippet().in}>
            {snippet().text}
          </span>
          <Sep />
          <Chip tone={tb().tone} icon={tb().icon}>
            {tb().text}
          </Chip>
          <Show when={booked()}>
            {(b) => (
              <>
                <Sep />
                <Chip tone="green" icon="✓" title={`${b().serviceLabel} booked`}>
                  Booked {shortWhen(b().start, props.timezone, now())}
                </Chip>
              </>
            )}
          </Show>
          <Show when={withAssistant()}>
            <Sep />
            <Chip tone="assistant" icon="◆" title="The booking assistant is texting with this caller">
              Assistant
            </Chip>
          </Show>
          <Show when={showClaim()}>
            <Sep />
            <ClaimChip thread={t()} state={props.state} late={props.late} />
          </Show>
        </div>
        <Show when={t().urgent && t().status === 'open'}>
          <div class="rb-line">
            <Sep />
            <Chip tone="red" icon="!" title={(t().urgentWords ?? []).join(', ')}>
              URGENT
            </Chip>
          </div>
        </Show>
      </button>
    </li>
  );
}

/** A comma only screen readers hear, so the row's name reads as a list ("Ana Ruiz, missed 2 min ago, Delivered…"). */
const Sep = () => <span class="rb-sr">, </span>;
