import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * A stand-in for an OpenAI-compatible chat-completions model, so the demo shows the classifier path
 * without one: it reads the options from the system prompt (`- id: label` lines) and picks the one whose
 * words the reply shares most, or "none". Point `booking.classifier.url` at
 * <relay>/sandbox/classifier/v1/chat/completions.
 */

export const CLASSIFIER_SIM_PATH = '/sandbox/classifier/v1/chat/completions';

/** Where `booking.classifier.url` points in sandbox mode: the relay's own stand-in model. */
export function sandboxClassifierUrl(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '') + CLASSIFIER_SIM_PATH;
}

const STOP = new Set(
  'a an and are be can could do for from get have i if im in is it just like me my need of on or please some that the this to want we what when with would you your'.split(' '),
);

/** Crude stemming so "cleaned", "cleaning" and "cleans" meet, and "consult" meets "consultation". */
const stem = (w: string) => w.replace(/(ations?|ings?|ed|es|s)$/, '') || w;

export function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length >= 3 && !STOP.has(w))
      .map(stem),
  );
}

/** The `- id: label` lines of a prompt. */
export function promptOptions(prompt: string): { id: string; label: string }[] {
  return [...prompt.matchAll(/^- ([^\s:]+): (.+)$/gm)].map((m) => ({ id: m[1]!, label: m[2]! }));
}

/** The option sharing the most words with the reply, when exactly one does best; else "none". */
export function simulatedAnswer(reply: string, options: { id: string; label: string }[]): string {
  const said = words(reply);
  const scored = options.map((o) => {
    const own = words(`${o.label} ${o.id.replace(/-/g, ' ')}`);
    return { id: o.id, score: [...own].filter((w) => said.has(w)).length };
  });
  const best = Math.max(0, ...scored.map((s) => s.score));
  const top = scored.filter((s) => s.score === best);
  return best > 0 && top.length === 1 ? top[0]!.id : 'none';
}

interface ChatBody {
  model?: unknown;
  messages?: { role?: unknown; content?: unknown }[];
}

export function registerClassifierSim(app: FastifyInstance): void {
  app.post(CLASSIFIER_SIM_PATH, async (req, reply) => {
    const body = (req.body ?? {}) as ChatBody;
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const content = (role: string) => messages.filter((m) => m?.role === role && typeof m.content === 'string').map((m) => m.content as string);
    const user = content('user').at(-1);
    if (user === undefined) {
      return reply.code(400).send({ error: { message: 'messages must include a user message', type: 'invalid_request_error' } });
    }
    const answer = simulatedAnswer(user, promptOptions(content('system').join('\n')));
    return {
      id: `chatcmpl-sandbox-${randomUUID()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: typeof body.model === 'string' ? body.model : 'sandbox',
      choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 0, completion_tokens: 1, total_tokens: 1 },
    };
  });
}
