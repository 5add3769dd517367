import { createSignal, onMount, Show } from 'solid-js';
import type { BookingLabels, ThreadDetailReply } from '../contract/api.js';
import type { Outcome, ThreadSummary } from '../contract/model.js';
import type { RowState } from '../client/queue.js';
import { AssistantCard } from './assistant-card.js';
import { assistantActive } from './assistant-format.js';
import { Chip } from './chip.js';
import { ClaimChip } from './claim-chip.js';
import { Composer, type ComposerControls } from './composer.js';
import { callerLabel, cannotText, highlight, phone, textBackLabel } from './format.js';
import { ResolveForm } from './resolve-form.js';
import { Marked, Timeline } from './timeline.js';
import { OptOutReview, ThreadActions } from './thread-actions.js';
import { SnoozeControl, type SnoozeApi } from './snooze-control.js';

export interface ThreadControls {
  claim(): void;
  resolve(): void;
  reply(): void;
  note(): void;
}

export interface ThreadViewProps {
  detail: ThreadDetailReply | undefined;
  /** The thread as the list knows it: enough for the header and the number to call. */
  summary?: ThreadSummary;
  /** The relay is unreachable: say so instead of loading forever. */
  offline?: boolean;
  state: RowState | null;
  locationName: string;
  timezone: string;
  quickReplies?: { label: string; text: string }[];
  onBack: () => void;
  onClaim: () => Promise<unknown>;
  onRelease: () => Promise<unknown>;
  onResolve: (o: Outcome, value?: number) => Promise<unknown>;
  onReply: (text: string) => Promise<unknown>;
  onNote: (text: string) => Promise<unknown>;
  /** Ring my desk phone and bridge the caller (the relay's call-back); absent where not offered. */
  onCallBack?: () => Promise<unknown>;
  /** The viewer's role: managers also release anyone's claim and reassign. */
  role?: 'manager' | 'receptionist';
  /** Active staff, for a manager's "Assign to…". */
  staff?: { id: string; name: string }[];
  onAssign?: (staffId: string) => Promise<unknown>;
  onReopen?: () => Promise<unknown>;
  onReviewOptOut?: (decision: 'confirm' | 'dismiss') => Promise<unknown>;
  /** What "Booked" counts when no value is entered. */
  averageValue?: number;
  controls?: (c: ThreadControls) => void;
  /** "Remind me at 2:00 PM": offered where the app keeps reminders. */
  snooze?: SnoozeApi;
  /** Names of the booking assistant's services and answers. */
  bookingLabels?: BookingLabels;
}

/** Header with the one primary action, the timeline, then the composer. */
export function ThreadView(props: ThreadViewProps) {
  const [resolving, setResolving] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [ringing, setRinging] = createSignal(false);
  let composer: ComposerControls | undefined;
  let heading: HTMLHeadingElement | undefined;
  // Opening a thread moves focus to its heading, so keyboard and screen-reader users start at the caller.
  onMount(() => requestAnimationFrame(() => heading?.focus({ preventScroll: true })));

  // The list's summary stands in until the detail arrives (or while offline, when it cannot).
  const t = () => props.detail?.thread ?? props.summary;
  const run = async (fn: () => Promise<unknown>) => {
    if (busy()) return;
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'That did not work; try again.');
    } finally {
      setBusy(false);
    }
  };
  const claim = () => props.state === 'unclaimed' || props.state === 'breached' ? run(props.onClaim) : undefined;
  const callBack = async () => {
    setRinging(false);
    await props.onCallBack!();
    setRinging(true);
  };

  props.controls?.({
    claim: () => void claim(),
    resolve: () => (props.state === 'mine' || props.state === 'unclaimed' || props.state === 'breached') && setResolving(true),
    reply: () => composer?.focus('reply'),
    note: () => composer?.focus('note'),
  });

  return (
    <section class="rb-thread" aria-label="Thread">
      <div class="rb-thead">
        <div class="rb-thead-top">
          <button type="button" class="rb-back" onClick={() => props.onBack()} aria-label="Back to the queue" title="Back (Esc)">
            ←
          </button>
          <h2 tabindex="-1" ref={heading}>
            {t() ? callerLabel(t()!) : 'Loading…'}
          </h2>
          <Show when={t() && props.state}>
            <Show
              when={props.state === 'unclaimed' && assistantActive(t()!)}
              fallback={<ClaimChip thread={t()!} state={props.state!} />}
            >
              <Chip tone="assistant" icon="◆" title="The booking assistant is texting with this caller">
                Assistant
              </Chip>
            </Show>
          </Show>
        </div>
        <Show when={t()} keyed>
          {(thread) => {
            const th = () => thread;
            return (
            <>
              <div class="rb-thead-sub">
                {th().callerName ? `${phone(th())} · ` : ''}
                {props.locationName}
                {th().missedCount > 1 ? ` · ${th().missedCount} missed calls` : ''} ·{' '}
                <Show when={th().caller.startsWith('+')}>
                  <a class="rb-tel" href={`tel:${th().caller}`} title="Call back from this device">
                    Call
                  </a>{' '}
                  ·{' '}
                </Show>
                <Chip tone={textBackLabel(th()).tone} icon={textBackLabel(th()).icon}>
                  {textBackLabel(th()).text}
                </Chip>
              </div>
              {/* First under the caller: while the assistant talks, its state and Take over are what the desk needs. */}
              <Show when={th().assistant || th().booking}>
                <AssistantCard
                  thread={th()}
                  labels={props.bookingLabels}
                  timezone={props.timezone}
                  busy={busy()}
                  onTakeOver={props.state === 'unclaimed' || props.state === 'breached' ? () => void claim() : undefined}
                />
              </Show>
              <ThreadActions
                thread={th()}
                state={props.state}
                busy={busy()}
                resolving={resolving()}
                assistant={assistantActive(th())}
                manager={props.role === 'manager'}
                staff={props.staff}
                run={(fn) => void run(fn)}
                onStartResolve={() => setResolving(true)}
                onClaim={props.onClaim}
                onRelease={props.onRelease}
                onResolve={props.onResolve}
                onCallBack={props.onCallBack && callBack}
                onClaimAndCallBack={props.onCallBack && (async () => {
                  await props.onClaim();
                  await callBack();
                })}
                onAssign={props.onAssign}
                onReopen={props.onReopen}
              />
              <Show when={th().optOutReview && props.onReviewOptOut}>
                <OptOutReview review={th().optOutReview!} busy={busy()} run={(fn) => void run(fn)} onDecide={props.onReviewOptOut!} />
              </Show>
              <Show when={th().urgent && th().status === 'open'}>
                <UrgentBanner detail={props.detail} words={th().urgentWords ?? []} />
              </Show>
              <Show when={ringing() && !error()}>
                <div class="rb-muted" role="status">
                  Ringing your desk phone — pick up to be connected to the caller.
                </div>
              </Show>
              <Show when={error()}>
                <div class="rb-error" role="alert">
                  {error()}
                </div>
              </Show>
            </>
            );
          }}
        </Show>
        {/* Outside the block above, which is rebuilt on every update of the thread: keyed by thread only. */}
        <Show when={props.snooze && t()?.status === 'open' && t()!.id} keyed>
          {(id) => <SnoozeControl api={props.snooze!} threadId={id} caller={t() ? callerLabel(t()!) : ''} timezone={props.timezone} />}
        </Show>
      </div>
      <Show
        when={props.detail}
        keyed
        fallback={
          <Show
            when={props.offline && t()}
            fallback={<div class="rb-timeline" aria-busy="true"><div class="rb-skel"><span /><span /></div></div>}
          >
            <div class="rb-timeline">
              <div class="rb-empty" role="status">
                <strong>Offline: this conversation was not loaded yet</strong>
                <span>It appears when the relay is back. To reach the caller now, call {phone(t()!)}.</span>
              </div>
            </div>
          </Show>
        }
      >
        {(d) => <Timeline detail={d} timezone={props.timezone} marks={d.thread.status === 'open' && d.thread.urgent ? d.thread.urgentWords : undefined} />}
      </Show>
      <Show when={resolving()}>
        <ResolveForm
          averageValue={props.averageValue}
          onCancel={() => setResolving(false)}
          onResolve={async (o, v) => {
            await props.onResolve(o, v);
            setResolving(false);
          }}
        />
      </Show>
      <Show when={t() && !resolving()}>
        <Composer
          blocked={
            cannotText(t()!) ??
            (props.state === 'theirs'
              ? { title: `${t()!.claim?.staffName} is handling this caller.`, detail: 'Add an internal note if you have something for them.' }
              : null)
          }
          quickReplies={props.quickReplies}
          hint={
            props.state === 'unclaimed' || props.state === 'breached'
              ? assistantActive(t()!)
                ? 'Sending a text takes over from the assistant and claims this caller for you.'
                : 'Sending a text claims this caller for you.'
              : undefined
          }
          onReply={props.onReply}
          onNote={props.onNote}
          onEscape={() => heading?.focus()}
          controls={(c) => (composer = c)}
        />
      </Show>
    </section>
  );
}

/** Loud and first: why this caller is urgent, in their own words, the trigger words marked. */
function UrgentBanner(props: { detail: ThreadDetailReply | undefined; words: readonly string[] }) {
  const said = () => {
    const words = props.words.map((w) => w.toLowerCase());
    const inbound = (props.detail?.messages ?? []).filter((m) => m.direction === 'in');
    return [...inbound].reverse().find((m) => highlight(m.text, words).some((p) => p.hit))?.text ?? null;
  };
  return (
    <div class="rb-urgent" role="alert">
      <strong>
        <span aria-hidden="true">! </span>Urgent
      </strong>
      <Show when={said()} fallback={<span> — {props.words.join(', ')}</span>}>
        {(text) => (
          <span>
            {' '}
            — “<Marked text={text()} words={props.words} />”
          </span>
        )}
      </Show>
    </div>
  );
}
