import { For, Show } from 'solid-js';
import { useQuery } from '@tanstack/solid-query';
import type { ThreadDetailReply } from '../contract/api.js';
import type { RelayApi } from '../client/rest.js';
import { callerLabel, clockTime, outcomeLabels, phone } from './format.js';
import { RelTime } from './rel-time.js';

const lineTypeText: Record<string, string> = { mobile: 'Mobile', landline: 'Landline', voip: 'VoIP', 'toll-free': 'Toll-free', unknown: 'Unknown line' };
const actionText: Record<string, string> = {
  claim: 'claimed',
  release: 'released',
  resolve: 'resolved',
  reopen: 'reopened',
  assign: 'assigned',
  reply: 'texted',
  note: 'added a note',
  escalation: 'escalated',
  urgent: 'marked it urgent',
  callback: 'called back',
  'opt-out-review': 'reviewed an opt-out',
  'opt-in': 'opted back in',
  'opt-out-flagged': 'flagged a possible opt-out',
};

/** Who the caller is, from what the thread detail returns: contact, notes, earlier threads, call-backs, history. */
export function ContactSidebar(props: { detail: ThreadDetailReply | undefined; api: RelayApi; timezone: string }) {
  const contactId = () => props.detail?.contact?.id ?? null;
  const earlier = useQuery(() => ({
    queryKey: ['contact', contactId() ?? ''],
    queryFn: () => props.api.contact(contactId()!),
    enabled: contactId() !== null,
    staleTime: 60_000,
    retry: false,
  }));
  const others = () => (earlier.data?.threads ?? []).filter((t) => t.id !== props.detail?.thread.id);
  return (
    <aside class="rb-contact" aria-label="Caller details">
      <Show when={props.detail} fallback={<div class="rb-skel"><span /><span /></div>}>
        {(d) => (
          <>
            <h2>{d().contact?.name ?? callerLabel(d().thread)}</h2>
            <p class="rb-muted">
              {phone(d().thread)}
              {d().thread.lineType ? ` · ${lineTypeText[d().thread.lineType!] ?? d().thread.lineType}` : ''}
            </p>
            <Show when={d().contact} fallback={<p class="rb-muted">Not a contact yet.</p>}>
              {(c) => (
                <dl class="rb-facts">
                  <Show when={c().customerSince}>
                    <dt>Customer since</dt>
                    <dd>{c().customerSince}</dd>
                  </Show>
                  <Show when={c().tags.length}>
                    <dt>Tags</dt>
                    <dd>{c().tags.join(', ')}</dd>
                  </Show>
                  <Show when={c().notes}>
                    <dt>Notes</dt>
                    <dd class="rb-pre">{c().notes}</dd>
                  </Show>
                </dl>
              )}
            </Show>
            <Show when={others().length}>
              <h3>Earlier threads</h3>
              <ul class="rb-plain">
                <For each={others()}>
                  {(t) => (
                    <li>
                      {t.resolution ? outcomeLabels[t.resolution.outcome] : 'Open'} · <RelTime at={t.openedAt} timezone={props.timezone} suffix=" ago" />
                    </li>
                  )}
                </For>
              </ul>
            </Show>
            <Show when={d().callbacks?.length}>
              <h3>Call-backs</h3>
              <ul class="rb-plain">
                <For each={d().callbacks}>
                  {(c) => (
                    <li>
                      {c.staffName} · {c.state.replace(/-/g, ' ')} · {clockTime(c.at, props.timezone)}
                    </li>
                  )}
                </For>
              </ul>
            </Show>
            <Show when={d().history?.length}>
              <h3>History</h3>
              <ul class="rb-plain">
                <For each={d().history}>
                  {(e) => (
                    <li>
                      {e.actor?.name ?? 'Ringback'} {actionText[e.action] ?? e.action.replace(/-/g, ' ')} · {clockTime(e.at, props.timezone)}
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </>
        )}
      </Show>
    </aside>
  );
}
