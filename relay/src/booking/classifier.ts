import type { Choice, ClassifierConfig } from '@ringback/shared';

/** One of the assistant's own options the model may pick; synonyms help the model as much as the rules. */
export type ClassifierOption = Pick<Choice, 'id' | 'label'> & { synonyms?: readonly string[] };

/** The word the model answers when no option fits. */
export const NO_OPTION = 'none';

/**
 * The instructions: the options by id, one a line as `- id: label`, and the rule to answer with an id
 * only. The caller's reply goes in the user message and nothing else about the caller is sent.
 */
export function systemPrompt(options: ClassifierOption[]): string {
  return [
    "You sort a customer's text message reply into one of a business's options.",
    'Options (id: meaning):',
    ...options.map((o) => `- ${o.id}: ${o.label}${o.synonyms?.length ? ` (also: ${o.synonyms.join(', ')})` : ''}`.replace(/\s+/g, ' ')),
    `Answer with exactly one id from the list, or ${NO_OPTION} if no option clearly fits. No other words.`,
  ].join('\n');
}

/** The id the answer names, only when the whole answer is one offered id (quotes, a full stop and case aside). */
export function pickOption(answer: unknown, options: ClassifierOption[]): string | null {
  if (typeof answer !== 'string') return null;
  const said = answer
    .trim()
    .replace(/^["'`*\s]+|["'`*.!\s]+$/g, '')
    .toLowerCase();
  const hit = options.find((o) => o.id.toLowerCase() === said);
  return hit ? hit.id : null;
}

/** What the endpoint did with one question: the answer's text, or why there is none. */
type Asked = { ok: true; content: unknown } | { ok: false; why: string };

async function ask(text: string, options: ClassifierOption[], cfg: ClassifierConfig, fetchImpl: typeof fetch): Promise<Asked> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const key = cfg.apiKeyEnv ? process.env[cfg.apiKeyEnv] : undefined;
  if (key) headers.authorization = `Bearer ${key}`;
  const body = {
    model: cfg.model,
    messages: [
      { role: 'system', content: systemPrompt(options) },
      { role: 'user', content: text },
    ],
    temperature: 0,
  };
  try {
    // The signal bounds the body too: a server that sends headers and then stalls is cut off as well.
    const res = await fetchImpl(cfg.url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(cfg.timeoutMs) });
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      const hint = res.status === 401 || res.status === 403 ? (cfg.apiKeyEnv ? `: check ${cfg.apiKeyEnv}` : ': it wants an API key (apiKeyEnv)') : res.status === 404 ? ': check the url (…/v1/chat/completions) and the model' : '';
      return { ok: false, why: `answered ${res.status}${hint}` };
    }
    const answer = (await res.json().catch(() => null)) as { choices?: { message?: { content?: unknown } }[] } | null;
    if (!answer?.choices) return { ok: false, why: 'answered something that is not a chat completion' };
    return { ok: true, content: answer.choices[0]?.message?.content };
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string } };
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { ok: false, why: `did not answer within ${cfg.timeoutMs} ms (timeoutMs)` };
    return { ok: false, why: `could not be reached${e?.cause?.code ? ` (${e.cause.code})` : ''}` };
  }
}

/**
 * Asks an OpenAI-compatible chat-completions endpoint which option a reply the rules did not understand
 * means. Only ever one of the given ids comes back, or null: on a timeout, an error, a refusal, free
 * text or an id not offered. Never throws, so the conversation goes on (to staff) when the model is down.
 */
export async function classify(
  text: string,
  options: ClassifierOption[],
  cfg: ClassifierConfig,
  fetchImpl: typeof fetch = fetch,
): Promise<string | null> {
  if (!text.trim() || options.length === 0) return null;
  try {
    const asked = await ask(text, options, cfg, fetchImpl);
    return asked.ok ? pickOption(asked.content, options) : null;
  } catch {
    return null;
  }
}

const PROBE_OPTIONS: ClassifierOption[] = [
  { id: 'cleaning', label: 'Cleaning' },
  { id: 'consultation', label: 'Consultation' },
];

/** `config check --online`: one made-up reply (no caller's data) to show the endpoint answers, how, and how fast. */
export async function probeClassifier(cfg: ClassifierConfig, fetchImpl: typeof fetch = fetch): Promise<{ ok: boolean; line: string }> {
  const host = new URL(cfg.url).host;
  const t0 = Date.now();
  const asked = await ask('a cleaning please', PROBE_OPTIONS, cfg, fetchImpl);
  if (!asked.ok) return { ok: false, line: `classifier: ${host} ${asked.why}` };
  const ms = Date.now() - t0;
  const picked = pickOption(asked.content, PROBE_OPTIONS);
  const said = String(asked.content ?? '').replace(/\s+/g, ' ').slice(0, 60);
  return picked === 'cleaning'
    ? { ok: true, line: `classifier: ${host} (${cfg.model}) picked the right option in ${ms} ms` }
    : { ok: false, line: `classifier: ${host} (${cfg.model}) answered "${said}" to a plain "a cleaning please" (expected the id cleaning): try another model` };
}
