import type { ClassifierConfig } from '@ringback/shared';

/** One of the assistant's own options the model may pick ("cleaning" / "Cleaning"). */
export interface ClassifierOption {
  id: string;
  label: string;
}

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
    ...options.map((o) => `- ${o.id}: ${o.label.replace(/\s+/g, ' ')}`),
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
      return null;
    }
    const answer = (await res.json()) as { choices?: { message?: { content?: unknown } }[] };
    return pickOption(answer?.choices?.[0]?.message?.content, options);
  } catch {
    return null;
  }
}
