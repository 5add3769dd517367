import { createSignal, For, Show } from 'solid-js';
import type { Outcome, ThreadSummary } from '../contract/model.js';
import type { RowState } from '../client/queue.js';

export interface ThreadActionsProps {
  thread: ThreadSummary;
  state: RowState | null;
  busy: boolean;
  /** The outcome form is open: its own button resolves. */
  resolving: boolean;
  /** The booking assistant is talking to this caller: its card offers "Take over" instead of Claim. */
  assistant?: boolean;
  /** Managers may release anyone's claim and hand the thread to someone else. */
  manager: boolean;
  /** Active staff a manager can hand the thread to. */
  staff?: { id: string; name: string }[];
  run: (fn: () => Promise<unknown>) => void;
  onStartResolve: () => void;
  onClaim: () => Promise<unknown>;
  onRelease: () => Promise<unknown>;
  onResolve: (o: Outcome, value?: number) => Promise<unknown>;
  onCallBack?: () => Promise<unknown>;
  onClaimAndCallBack?: () => Promise<unknown>;
  onAssign?: (staffId: string) => Promise<unknown>;
  onReopen?: () => Promise<unknown>;
}

/**
 * Everything a desk does to a thread in one step: resolve or mark spam without claiming first, claim and call back,
 * a manager's release and reassign, reopening a resolved thread.
 */
export function ThreadActions(props: ThreadActionsProps) {
  const t = () => props.thread;
  const open = () => props.state === 'unclaimed' || props.state === 'breached';
  const callable = () => t().caller.startsWith('+');
  const [assignTo, setAssignTo] = createSignal('');
  return (
    <div class="rb-actions">
      <Show when={open()}>
        <Show when={!props.assistant}>
          <button type="button" class="rb-btn rb-btn-primary" disabled={props.busy} aria-keyshortcuts="c" onClick={() => props.run(props.onClaim)}>
            Claim
          </button>
        </Show>
        <Show when={props.onClaimAndCallBack && callable()}>
          <button
            type="button"
            class="rb-btn"
            disabled={props.busy}
            title="Claims the caller, rings your desk phone, then connects the caller from the business number"
            onClick={() => props.run(props.onClaimAndCallBack!)}
          >
            Claim &amp; call back
          </button>
        </Show>
      </Show>
      <Show when={(open() || props.state === 'mine') && !props.resolving}>
        <button type="button" class={`rb-btn${props.state === 'mine' ? ' rb-btn-primary' : ''}`} disabled={props.busy} aria-keyshortcuts="e" onClick={() => props.onStartResolve()}>
          Resolve
        </button>
      </Show>
      <Show when={props.state === 'mine'}>
        <Show when={props.onCallBack && callable()}>
          <button
            type="button"
            class="rb-btn"
            disabled={props.busy}
            title="Rings your desk phone, then connects the caller from the business number"
            onClick={() => props.run(props.onCallBack!)}
          >
            ☎ Call back
          </button>
        </Show>
        <button type="button" class="rb-btn" disabled={props.busy} onClick={() => props.run(props.onRelease)}>
          Release
        </button>
      </Show>
      <Show when={open() || props.state === 'mine'}>
        <button type="button" class="rb-btn" disabled={props.busy} title="Resolve as spam: no value, out of the queue" onClick={() => props.run(() => props.onResolve('spam'))}>
          Spam
        </button>
      </Show>
      <Show when={props.state === 'theirs'}>
        <span class="rb-muted">{t().claim?.staffName} is handling this caller.</span>
        <Show when={props.manager}>
          <button type="button" class="rb-btn" disabled={props.busy} onClick={() => props.run(props.onRelease)}>
            Release
          </button>
        </Show>
      </Show>
      <Show when={props.manager && props.onAssign && props.staff?.length && t().status === 'open'}>
        <form
          class="rb-assign"
          onSubmit={(e) => {
            e.preventDefault();
            if (assignTo()) props.run(() => props.onAssign!(assignTo()));
          }}
        >
          <label>
            <span class="rb-sr">Hand this caller to</span>
            <select value={assignTo()} onChange={(e) => setAssignTo(e.currentTarget.value)}>
              <option value="">Assign to…</option>
              <For each={props.staff!.filter((s) => s.id !== t().claim?.staffId)}>{(s) => <option value={s.id}>{s.name}</option>}</For>
            </select>
          </label>
          <button type="submit" class="rb-btn" disabled={props.busy || !assignTo()}>
            Assign
          </button>
        </form>
      </Show>
      <Show when={props.state === 'resolved'}>
        <Show when={t().resolution}>
          <span class="rb-muted">Resolved by {t().resolution!.staffName}</span>
        </Show>
        <Show when={props.onReopen}>
          <button type="button" class="rb-btn" disabled={props.busy} title="Back to the queue, claimed by you" onClick={() => props.run(props.onReopen!)}>
            Reopen
          </button>
        </Show>
      </Show>
    </div>
  );
}

/** A plain-words "stop" waiting for a human decision: confirm the opt-out or dismiss it, right here. */
export function OptOutReview(props: { review: { text: string }; busy: boolean; run: (fn: () => Promise<unknown>) => void; onDecide: (d: 'confirm' | 'dismiss') => Promise<unknown> }) {
  return (
    <div class="rb-review" role="group" aria-label="Opt-out to review">
      <span>
        <strong>May have asked to stop:</strong> “{props.review.text}”
      </span>
      <span class="rb-review-buttons">
        <button type="button" class="rb-btn" disabled={props.busy} onClick={() => props.run(() => props.onDecide('confirm'))}>
          Confirm opt-out
        </button>
        <button type="button" class="rb-btn" disabled={props.busy} onClick={() => props.run(() => props.onDecide('dismiss'))}>
          Not an opt-out
        </button>
      </span>
    </div>
  );
}
