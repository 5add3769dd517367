import { createEffect, For, Match, on, Show, Switch } from 'solid-js';
import type { ThreadDetailReply } from '../contract/api.js';
import type { Call, Message, Note } from '../contract/model.js';
import { clockTime, duration, highlight, type Tone } from './format.js';
import { RelTime } from './rel-time.js';

type Item = { at: string; call: Call } | { at: string; message: Message } | { at: string; note: Note };

/** Per-message delivery state: ✓ sent · ✓✓ delivered · ↻ retrying · ✗ failed with the reason. */
export function messageStatus(m: Message): { icon: string; text: string; tone?: Tone } | null {
  if (m.direction === 'in') return null;
  switch (m.status) {
    case 'queued':
    case 'sending':
      return { icon: '…', text: 'Sending' };
    case 'retrying':
      return { icon: '↻', text: `Retrying${m.statusReason ? `: ${m.statusReason}` : ''}`, tone: 'amber' };
    case 'sent':
      return { icon: '✓', text: 'Sent' };
    case 'delivered':
      return { icon: '✓✓', text: 'Delivered', tone: 'green' };
    case 'undelivered':
    case 'failed':
      return { icon: '✗', text: `Failed${m.statusReason ? `: ${m.statusReason}` : ''}`, tone: 'red' };
    case 'blocked':
      return { icon: '⊘', text: `Not sent${m.statusReason ? `: ${m.statusReason}` : ''}`, tone: 'red' };
    default:
      return { icon: '?', text: 'Status unknown' };
  }
}

const kindLabel = (m: Message): string =>
  m.kind === 'text-back'
    ? 'Auto text-back'
    : m.kind === 'keyword'
      ? 'Auto reply'
      : m.kind === 'compliance'
        ? 'Compliance'
        : m.kind === 'assistant'
          ? 'Assistant'
          : (m.staffName ?? 'Staff');

/** A caller's words with the urgent ones in <mark>. */
export function Marked(props: { text: string; words: readonly string[] }) {
  return <For each={highlight(props.text, props.words)}>{(part) => (part.hit ? <mark>{part.text}</mark> : part.text)}</For>;
}

/** Within this many pixels of the end counts as "reading the newest": new entries then scroll into view. */
const FOLLOW_PX = 80;

/** Calls, voicemails, texts and internal notes, oldest first; it opens at the newest and follows new entries. */
export function Timeline(props: { detail: ThreadDetailReply; timezone: string; marks?: readonly string[] }) {
  let log: HTMLDivElement | undefined;
  let atEnd = true;
  const items = (): Item[] => {
    const d = props.detail;
    const all: Item[] = [
      ...d.calls.map((call) => ({ at: call.missedAt ?? call.startedAt, call })),
      ...d.messages.map((message) => ({ at: message.at, message })),
      ...d.notes.map((note) => ({ at: note.at, note })),
    ];
    return all.sort((a, b) => a.at.localeCompare(b.at));
  };
  // Follow new entries while the reader is at the end, and always after our own text (we just sent it).
  createEffect(
    on(
      () => items().length,
      () => {
        const newest = items().at(-1);
        const ours = newest && 'message' in newest && newest.message.direction === 'out';
        if (log && (atEnd || ours)) log.scrollTop = log.scrollHeight;
      },
    ),
  );
  return (
    <div
      class="rb-timeline"
      aria-label="Conversation"
      role="log"
      ref={log}
      onScroll={() => log && (atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < FOLLOW_PX)}
    >
      <For each={items()}>
        {(item) => (
          <Switch>
            <Match when={'call' in item && item.call}>
              {(c) => (
                <div class="rb-event" data-missed={c().outcome === 'missed'}>
                  <span class="rb-event-title">
                    <span aria-hidden="true">{c().outcome === 'missed' ? '↙ ' : '☎ '}</span>
                    {c().outcome === 'missed' ? 'Missed call' : c().outcome === 'answered' ? 'Answered call' : 'Ringing'}
                    {c().afterHours ? ' (after hours)' : ''} · {clockTime(item.at, props.timezone)} ·{' '}
                    <RelTime at={item.at} timezone={props.timezone} suffix=" ago" />
                  </span>
                  <Show when={c().voicemail}>
                    {(vm) => (
                      <>
                        <span>Voicemail {duration(vm().durationSec)}</span>
                        <audio controls preload="none" src={vm().url} aria-label={`Voicemail, ${duration(vm().durationSec)}`} />
                      </>
                    )}
                  </Show>
                </div>
              )}
            </Match>
            <Match when={'message' in item && item.message}>
              {(m) => {
                const st = () => messageStatus(m());
                return (
                  <div class="rb-msg" data-dir={m().direction} data-kind={m().kind} data-failed={st()?.tone === 'red'} data-message-id={m().id}>
                    <div class="rb-bubble">
                      <Show when={m().direction === 'in' && props.marks?.length} fallback={m().text}>
                        <Marked text={m().text} words={props.marks!} />
                      </Show>
                    </div>
                    <div class="rb-meta">
                      <span class="rb-who">
                        <Show when={m().kind === 'assistant'}>
                          <span aria-hidden="true">◆ </span>
                        </Show>
                        {m().direction === 'in' ? 'Caller' : kindLabel(m())}
                      </span>
                      <span>{clockTime(m().at, props.timezone)}</span>
                      <Show when={st()}>
                        {(s) => (
                          <span class="rb-status" data-tone={s().tone} data-status={m().status}>
                            <span aria-hidden="true">{s().icon}</span> {s().text}
                          </span>
                        )}
                      </Show>
                    </div>
                  </div>
                );
              }}
            </Match>
            <Match when={'note' in item && item.note}>
              {(n) => (
                <div class="rb-note">
                  <div class="rb-meta">
                    <span>✎ Internal note · {n().staffName}</span>
                    <span>{clockTime(n().at, props.timezone)}</span>
                  </div>
                  {n().text}
                </div>
              )}
            </Match>
          </Switch>
        )}
      </For>
    </div>
  );
}
