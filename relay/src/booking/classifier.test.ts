import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ClassifierConfig } from '@ringback/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../http/free-port.js';
import { sandboxClassifierUrl } from '../sandbox/index.js';
import { startTestRelay, type TestRelay } from '../testing/harness.js';
import { classify, pickOption, probeClassifier, systemPrompt } from './classifier.js';

const OPTIONS = [
  { id: 'cleaning', label: 'Cleaning' },
  { id: 'pain', label: 'Pain or emergency' },
  { id: 'consultation', label: 'Consultation' },
];

/** A real local chat-completions server whose behaviour each test sets. */
let server: Server;
let url: string;
let handle: (req: IncomingMessage, body: string, res: ServerResponse) => void;
const seen: { headers: IncomingMessage['headers']; body: string }[] = [];
const answer = (content: unknown) => (_req: IncomingMessage, _body: string, res: ServerResponse) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
};
const cfg = (over: Partial<ClassifierConfig> = {}): ClassifierConfig => ({ url, model: 'local-small', timeoutMs: 2000, ...over });

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      handle(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/chat/completions`;
});
afterEach(() => {
  seen.length = 0;
  delete process.env.TEST_CLASSIFIER_KEY;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('the optional classifier', () => {
  it('returns the option id the model names, sending only the reply text', async () => {
    handle = answer('cleaning');
    expect(await classify('I would like my teeth done', OPTIONS, cfg())).toBe('cleaning');
    const sent = JSON.parse(seen[0]!.body);
    expect(Object.keys(sent).sort()).toEqual(['messages', 'model', 'temperature']);
    expect(sent.model).toBe('local-small');
    expect(sent.temperature).toBe(0);
    expect(sent.messages).toEqual([
      { role: 'system', content: systemPrompt(OPTIONS) },
      { role: 'user', content: 'I would like my teeth done' },
    ]);
    expect(sent.messages[0].content).toContain('- pain: Pain or emergency');
    expect(seen[0]!.headers.authorization).toBeUndefined();
  });

  it('sends the API key from the named variable, when set', async () => {
    handle = answer('Pain.');
    process.env.TEST_CLASSIFIER_KEY = 'sk-test-123';
    expect(await classify('my tooth is killing me', OPTIONS, cfg({ apiKeyEnv: 'TEST_CLASSIFIER_KEY' }))).toBe('pain');
    expect(seen[0]!.headers.authorization).toBe('Bearer sk-test-123');
  });

  it('answers with free text, an id not offered, or none are null', async () => {
    for (const content of ['I think it is cleaning', 'whitening', 'none', 'cleaning or pain', '', 42, null]) {
      handle = answer(content);
      expect(await classify('hmm', OPTIONS, cfg()), String(content)).toBeNull();
    }
  });

  it('a 500, garbage, or an answer without choices is null', async () => {
    handle = (_q, _b, res) => ((res.statusCode = 500), res.end('{"error":"overloaded"}'));
    expect(await classify('cleaning?', OPTIONS, cfg())).toBeNull();
    handle = (_q, _b, res) => res.end('<html>bad gateway</html>');
    expect(await classify('cleaning?', OPTIONS, cfg())).toBeNull();
    handle = (_q, _b, res) => res.end('{"object":"chat.completion"}');
    expect(await classify('cleaning?', OPTIONS, cfg())).toBeNull();
  });

  it('a slow model is null within the timeout, also when it stalls mid-answer', async () => {
    handle = () => {}; // never answers
    let t0 = Date.now();
    expect(await classify('cleaning?', OPTIONS, cfg({ timeoutMs: 200 }))).toBeNull();
    expect(Date.now() - t0).toBeLessThan(1000);
    handle = (_q, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"choices":[{"message":');
    };
    t0 = Date.now();
    expect(await classify('cleaning?', OPTIONS, cfg({ timeoutMs: 200 }))).toBeNull();
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('an unreachable endpoint or a throwing fetch is null, never an exception', async () => {
    expect(await classify('cleaning?', OPTIONS, cfg({ url: `http://127.0.0.1:${await freePort()}/v1/chat/completions` }))).toBeNull();
    const throwing = (() => {
      throw new Error('boom');
    }) as unknown as typeof fetch;
    expect(await classify('cleaning?', OPTIONS, cfg(), throwing)).toBeNull();
    handle = answer('cleaning');
    expect(await classify('   ', OPTIONS, cfg())).toBeNull();
    expect(await classify('cleaning', [], cfg())).toBeNull();
    expect(seen).toHaveLength(0);
  });

  it('lists the options with their synonyms, one a line, and the sandbox model uses them', async () => {
    const withSynonyms = [{ id: 'cleaning', label: 'Cleaning', synonyms: ['hygiene', 'polish'] }, { id: 'pain', label: 'Pain or emergency' }];
    expect(systemPrompt(withSynonyms).split('\n').filter((l) => l.startsWith('- '))).toEqual([
      '- cleaning: Cleaning (also: hygiene, polish)',
      '- pain: Pain or emergency',
    ]);
  });

  it('config check --online probes the endpoint with a made-up reply and says what is wrong', async () => {
    handle = answer('cleaning');
    expect(await probeClassifier(cfg())).toMatchObject({ ok: true, line: expect.stringMatching(/^classifier: 127\.0\.0\.1:\d+ \(local-small\) picked the right option in \d+ ms$/) });
    expect(JSON.parse(seen.at(-1)!.body).messages[1]).toEqual({ role: 'user', content: 'a cleaning please' });
    handle = answer('Sure! You want a cleaning.');
    expect((await probeClassifier(cfg())).line).toMatch(/answered "Sure! You want a cleaning." to a plain "a cleaning please" \(expected the id cleaning\): try another model$/);
    handle = (_q, _b, res) => ((res.statusCode = 401), res.end('{}'));
    expect(await probeClassifier(cfg({ apiKeyEnv: 'TEST_CLASSIFIER_KEY' }))).toMatchObject({ ok: false, line: expect.stringMatching(/answered 401: check TEST_CLASSIFIER_KEY$/) });
    expect((await probeClassifier(cfg())).line).toMatch(/answered 401: it wants an API key \(apiKeyEnv\)$/);
    handle = () => {};
    expect((await probeClassifier(cfg({ timeoutMs: 150 }))).line).toMatch(/did not answer within 150 ms \(timeoutMs\)$/);
    const closed = await freePort();
    expect((await probeClassifier(cfg({ url: `http://127.0.0.1:${closed}/v1/chat/completions` }))).line).toBe(`classifier: 127.0.0.1:${closed} could not be reached (ECONNREFUSED)`);
  });

  it('reads an answer only as a whole id', () => {
    expect(pickOption(' "Consultation" ', OPTIONS)).toBe('consultation');
    expect(pickOption('consultation please', OPTIONS)).toBeNull();
    expect(pickOption('`pain`', OPTIONS)).toBe('pain');
  });
});

describe('the sandbox stand-in model', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('picks the option sharing the reply\'s words, or none', async () => {
    const sim = cfg({ url: sandboxClassifierUrl(relay.url + '/'), model: 'sandbox' });
    expect(await classify("I'd like my teeth cleaned", OPTIONS, sim)).toBe('cleaning');
    expect(await classify('it is an emergency, really', OPTIONS, sim)).toBe('pain');
    expect(await classify('can we talk it over first? a consult', OPTIONS, sim)).toBe('consultation');
    expect(await classify('what time is it', OPTIONS, sim)).toBeNull();
    expect(await classify('just a polish', [{ id: 'cleaning', label: 'Cleaning', synonyms: ['polish'] }, ...OPTIONS.slice(1)], sim)).toBe('cleaning');
    expect((await probeClassifier(sim)).ok).toBe(true);
    const bad = await relay.api(null, 'POST', '/sandbox/classifier/v1/chat/completions', { model: 'sandbox', messages: [] });
    expect(bad.status).toBe(400);
  });
});
