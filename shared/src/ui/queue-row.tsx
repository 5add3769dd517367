import { Show } from 'solid-js';
import type { ThreadSummary } from '../contract/model.js';
import type { RowState } from '../client/queue.js';
import { waitingSince } from '../client/queue.js';
import { Chip } from './chip.js';
import { ClaimChip } from './claim-chip.js';
import { callerLabel, duration, textBackLabel } from './format.js';
import { RelTime } from './rel-time.js';

export interface QueueRowProps {
  thread: ThreadSummary;
  state: RowState;
  locationName: string;
  timezone: string;
  selected: boolean;
  onOpen: (id: string) => void;
}

/** One caller: who, where, how long they have waited, whether we texted, the last words, who has it. */
export function QueueRow(props: QueueRowProps) {
  const t = () => props.thread;
  const tb = () => textBackLabel(t());
  const snippet = () => {
    const m = t().lastMessage;
    if (m) return { in: m.direction === 'in', text: `${m.direction === 'in' ? '↩ ' : 'You: '}“${m.text}”` };
    if (t().voicemail) return { in: true, text: `Voicemail ${duration(t().voicemail!.durationSec)}` };
    return { in: false, text: t().missedCount > 1 ? `${t().missedCount} missed calls` : 'Missed call' };
  };
  return (
    <li>
      <button
        type="button"
        class="rb-row"
        data-state={props.state}
        data-thread-id={t().id}
        aria-current={props.selected ? 'true' : undefined}
        onClick={() => props.onOpen(t().id)}
      >
        <div class="rb-line">
          <span class="rb-caller">{callerLabel(t())}</span>
          <span class="rb-loc">{props.locationName}</span>
          <span class="rb-grow" />
          <Show when={t().status === 'open'} fallback={<span class="rb-when">resolved</span>}>
            <RelTime at={waitingSince(t())} timezone={props.timezone} prefix={t().lastMissedAt ? 'missed ' : 'opened '} />
          </Show>
        </div>
        <div class="rb-line">
          <span class="rb-snippet" data-in={snippet().in}>
            {snippet().text}
          </span>
          <Chip tone={tb().tone} icon={tb().icon}>
            {tb().text}
          </Chip>
          <ClaimChip thread={t()} state={props.state} />
        </div>
        <Show when={t().urgent && t().status === 'open'}>
          <div class="rb-line">
            <Chip tone="red" icon="!" title={(t().urgentWords ?? []).join(', ')}>
              URGENT
            </Chip>
          </div>
        </Show>
      </button>
    </li>
  );
}
