import { createSignal, For, Show } from 'solid-js';
import { smsSegments } from '../domain/templates.js';

export type ComposerMode = 'reply' | 'note';

export interface ComposerControls {
  focus(mode: ComposerMode): void;
}

export interface ComposerProps {
  /** Why texting is impossible (opted out, landline); notes still work. */
  blocked: { title: string; detail: string } | null;
  quickReplies?: { label: string; text: string }[];
  /** A side effect of sending worth saying before it happens ("Sending a text claims this caller"). */
  hint?: string;
  onReply: (text: string) => Promise<unknown>;
  onNote: (text: string) => Promise<unknown>;
  /** Esc in the text box: leave it (the draft stays). */
  onEscape?: () => void;
  controls?: (c: ComposerControls) => void;
}

/** Text the caller or leave an internal note; shows SMS segments; disabled with the reason when we cannot text. */
export function Composer(props: ComposerProps) {
  const [mode, setMode] = createSignal<ComposerMode>('reply');
  const [text, setText] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let area: HTMLTextAreaElement | undefined;

  const replyBlocked = () => mode() === 'reply' && props.blocked !== null;
  const seg = () => smsSegments(text());
  const canSend = () => !busy() && !replyBlocked() && text().trim().length > 0;

  props.controls?.({
    focus(m) {
      setMode(m);
      queueMicrotask(() => area?.focus());
    },
  });

  async function send() {
    if (!canSend()) return;
    setBusy(true);
    setError(null);
    try {
      await (mode() === 'reply' ? props.onReply(text().trim()) : props.onNote(text().trim()));
      setText('');
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not send; try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      class="rb-composer"
      data-mode={mode()}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div class="rb-modes" role="group" aria-label="Write">
        <button type="button" class="rb-mode" aria-pressed={mode() === 'reply'} onClick={() => setMode('reply')}>
          Text caller
        </button>
        <button type="button" class="rb-mode" aria-pressed={mode() === 'note'} onClick={() => setMode('note')}>
          ✎ Internal note
        </button>
      </div>
      <Show when={replyBlocked()}>
        <div class="rb-blocked" role="note" data-testid="composer-blocked">
          <strong>{props.blocked!.title}</strong>
          <span class="rb-muted">{props.blocked!.detail}</span>
        </div>
      </Show>
      <Show when={!replyBlocked()}>
        <Show when={mode() === 'reply' && props.quickReplies?.length}>
          <div class="rb-quick">
            <For each={props.quickReplies}>{(q) => <button type="button" title={q.text} onClick={() => setText(q.text)}>{q.label}</button>}</For>
          </div>
        </Show>
        <textarea
          ref={area}
          aria-label={mode() === 'reply' ? 'Text to the caller' : 'Internal note (staff only)'}
          placeholder={mode() === 'reply' ? 'Text the caller…' : 'Note for the team (the caller never sees it)…'}
          value={text()}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
              e.preventDefault();
              void send();
            }
            if (e.key === 'Escape' && props.onEscape) {
              e.preventDefault();
              e.stopPropagation();
              props.onEscape();
            }
          }}
        />
        <div class="rb-composer-foot">
          <Show when={mode() === 'reply'} fallback={<span>Only staff see notes</span>}>
            <span class="rb-num" data-testid="segments">
              {seg().units} chars · {seg().segments} SMS{seg().encoding === 'UCS-2' ? ' (Unicode)' : ''}
            </span>
            <Show when={props.hint}>
              <span class="rb-hint">{props.hint}</span>
            </Show>
          </Show>
          <span class="rb-grow" />
          <Show when={error()}>
            <span class="rb-status" data-tone="red" role="alert">
              {error()}
            </span>
          </Show>
          <button type="submit" class="rb-btn rb-btn-primary" disabled={!canSend()}>
            {busy() ? 'Sending…' : mode() === 'reply' ? 'Send text' : 'Add note'}
          </button>
        </div>
      </Show>
    </form>
  );
}
