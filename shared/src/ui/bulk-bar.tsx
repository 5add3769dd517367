import { createSignal, For, Show } from 'solid-js';
import type { Outcome } from '../contract/model.js';
import { outcomeLabels } from './format.js';

const bulkOutcomes: Outcome[] = ['callback-done', 'no-answer', 'wrong-number', 'spam', 'other'];

export interface BulkBarProps {
  count: number;
  /** Managers hand picked callers to a colleague. */
  staff?: { id: string; name: string }[];
  onResolve: (o: Outcome) => Promise<unknown>;
  onAssign?: (staffId: string) => Promise<unknown>;
  onCancel: () => void;
}

/** Resolve or assign the picked callers in one go; what failed is said in words, the rest is done. */
export function BulkBar(props: BulkBarProps) {
  const [outcome, setOutcome] = createSignal<Outcome | ''>('');
  const [to, setTo] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Some callers could not be changed; try again.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="rb-bulk" role="region" aria-label="Bulk actions">
      <strong>{props.count} selected</strong>
      <form
        class="rb-bulk-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (outcome()) void run(() => props.onResolve(outcome() as Outcome));
        }}
      >
        <select aria-label="Outcome for the selected callers" value={outcome()} onChange={(e) => setOutcome(e.currentTarget.value as Outcome | '')}>
          <option value="">Resolve as…</option>
          <For each={bulkOutcomes}>{(o) => <option value={o}>{outcomeLabels[o]}</option>}</For>
        </select>
        <button type="submit" class="rb-btn" disabled={busy() || !outcome() || props.count === 0}>
          Resolve
        </button>
      </form>
      <Show when={props.onAssign && props.staff?.length}>
        <form
          class="rb-bulk-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (to()) void run(() => props.onAssign!(to()));
          }}
        >
          <select aria-label="Hand the selected callers to" value={to()} onChange={(e) => setTo(e.currentTarget.value)}>
            <option value="">Assign to…</option>
            <For each={props.staff}>{(s) => <option value={s.id}>{s.name}</option>}</For>
          </select>
          <button type="submit" class="rb-btn" disabled={busy() || !to() || props.count === 0}>
            Assign
          </button>
        </form>
      </Show>
      <button type="button" class="rb-link" onClick={() => props.onCancel()}>
        Done
      </button>
      <Show when={error()}>
        <span class="rb-status" data-tone="red" role="alert">
          {error()}
        </span>
      </Show>
    </div>
  );
}
