import { createSignal, For, Show } from 'solid-js';
import type { Outcome } from '../contract/model.js';
import { outcomeLabels } from './format.js';

const choices: Outcome[] = ['booked', 'estimate-sent', 'callback-done', 'no-answer', 'wrong-number', 'spam'];

/** Outcome (and a value for booked/estimate) before a thread leaves the queue. */
export function ResolveForm(props: { onResolve: (o: Outcome, value?: number) => Promise<unknown>; onCancel: () => void; averageValue?: number }) {
  const [outcome, setOutcome] = createSignal<Outcome | null>(null);
  const [value, setValue] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const hasValue = () => outcome() === 'booked' || outcome() === 'estimate-sent';
  const parsedValue = () => (value().trim() === '' ? undefined : Number(value()));
  const valid = () => outcome() !== null && (!hasValue() || parsedValue() === undefined || (Number.isFinite(parsedValue()) && parsedValue()! >= 0));

  async function submit(e: Event) {
    e.preventDefault();
    if (!valid() || busy()) return;
    setBusy(true);
    setError(null);
    try {
      await props.onResolve(outcome()!, hasValue() ? parsedValue() : undefined);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not resolve; try again.');
      setBusy(false);
    }
  }

  return (
    <form class="rb-resolve" onSubmit={submit} aria-label="Resolve thread" ref={(f) => queueMicrotask(() => f.querySelector<HTMLInputElement>('input[type=radio]')?.focus())}>
      <fieldset class="rb-outcomes">
        <legend class="rb-sr">Outcome</legend>
        <For each={choices}>
          {(o) => (
            <label>
              <input type="radio" name="outcome" value={o} checked={outcome() === o} onChange={() => setOutcome(o)} />
              {outcomeLabels[o]}
            </label>
          )}
        </For>
      </fieldset>
      <div class="rb-row-inline">
        <Show when={hasValue()}>
          <label>
            Value $ <input type="number" min="0" step="1" inputmode="decimal" value={value()} onInput={(e) => setValue(e.currentTarget.value)} />
          </label>
          <Show when={outcome() === 'booked' && parsedValue() === undefined && props.averageValue !== undefined}>
            <span class="rb-muted" data-testid="default-value">
              Counts ${props.averageValue} (your average booking) unless you enter a value.
            </span>
          </Show>
        </Show>
        <span class="rb-grow" />
        <button type="button" class="rb-btn" onClick={() => props.onCancel()}>
          Cancel
        </button>
        <button type="submit" class="rb-btn rb-btn-primary" disabled={!valid() || busy()}>
          {busy() ? 'Resolving…' : 'Resolve'}
        </button>
      </div>
      <Show when={error()}>
        <span class="rb-status" data-tone="red" role="alert">
          {error()}
        </span>
      </Show>
    </form>
  );
}
