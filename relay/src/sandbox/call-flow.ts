import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxContext } from './context.js';
import { voiceTime } from './plivo-time.js';
import { sendWebhook, type WebhookResult } from './webhook.js';
import { parseVerbs, type Verb } from './xml.js';

/**
 * One inbound call, played the way Plivo plays it: request the answer URL, follow the XML it returns (Dial,
 * Record, Redirect, Hangup), call each verb's action URL with the fields Plivo sends, and finish with the hangup
 * URL. Every request is a real HTTP POST to the relay with a V3 signature. Time is simulated: the call's ring,
 * talk and voicemail seconds are reported, not waited for.
 */

export interface CallInput {
  from: string;
  to: string;
  /** Does the front desk pick up when the call is forwarded? */
  answered: boolean;
  /** Seconds of voicemail the caller leaves when asked to record; absent or 0 → hangs up at the beep. */
  voicemail?: number;
  /** Nobody at the desk, but the desk phone's own voicemail picks up (Plivo sees an answer unless the Dial asks for a key). */
  deskVoicemail?: boolean;
  /** The caller gives up while the desk is still ringing. */
  hangupWhileRinging?: boolean;
  callerName?: string;
  /** Pause before each webhook after the first, so a watching screen can follow along (the dev phone). */
  pauseMs?: number;
}

export type CallWebhook = 'answer' | 'dial' | 'confirm' | 'record' | 'redirect' | 'hangup';
export interface CallStep extends WebhookResult {
  webhook: CallWebhook;
}
export interface CallResult {
  callUuid: string;
  steps: CallStep[];
}

const TALK_S = 42; // an answered call's conversation
const ANSWER_AFTER_S = 6; // the desk picks up after a few rings
const GIVE_UP_AFTER_S = 8; // a caller who hangs up while ringing
const MAX_DOCUMENTS = 10; // XML documents per call: stops a relay that redirects in a loop

const ok = (r: WebhookResult) => r.status >= 200 && r.status < 300;
const intAttr = (v: Verb, name: string): number | undefined => {
  const n = Number.parseInt(v.attrs[name] ?? '', 10);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};
const methodOf = (v: Verb): 'GET' | 'POST' => (v.attrs.method?.toUpperCase() === 'GET' ? 'GET' : 'POST');

export async function runCall(ctx: SandboxContext, input: CallInput): Promise<CallResult> {
  const callUuid = randomUUID();
  const steps: CallStep[] = [];
  const callFields: Record<string, string> = {
    CallUUID: callUuid,
    From: input.from,
    To: input.to,
    Direction: 'inbound',
    ...(input.callerName ? { CallerName: input.callerName } : {}),
  };
  let seconds = 0;
  let hangupCause = 'NORMAL_CLEARING';

  const request = async (webhook: CallWebhook, url: string, fields: Record<string, string>, method: 'GET' | 'POST' = 'POST') => {
    if (steps.length > 0 && input.pauseMs) await sleep(input.pauseMs, undefined, { signal: ctx.bg.signal }).catch(() => undefined);
    const res = await sendWebhook({ kind: 'voice', url, params: { ...callFields, ...fields }, token: ctx.opts.authToken, method, signal: ctx.bg.signal });
    steps.push({ webhook, ...res });
    return res;
  };

  const answerUrl = `${ctx.base()}/plivo/voice/answer`;
  const answer = await request('answer', answerUrl, { CallStatus: 'ringing', Event: 'StartApp' });
  // A failed answer URL ends the call (Plivo would try a fallback_url; the relay configures none).
  let doc: { url: string; verbs: Verb[] } | null = ok(answer) ? { url: answerUrl, verbs: parseVerbs(answer.body) } : null;

  for (let documents = 0; doc && documents < MAX_DOCUMENTS && !ctx.bg.closed; documents++) {
    const { url: docUrl, verbs } = doc;
    doc = null; // unless a verb hands the call to a new document, the call ends after the last verb
    const resolve = (u: string) => new URL(u, docUrl).toString();
    let hungUp = false;

    for (const v of verbs) {
      if (v.name === 'Hangup') {
        hungUp = true;
        break;
      }
      if (v.name === 'Speak' || v.name === 'Play') seconds += 3;
      if (v.name === 'Wait') seconds += intAttr(v, 'length') ?? 1;

      if (v.name === 'Dial') {
        const ringLimit = intAttr(v, 'timeout') ?? 20;
        if (input.hangupWhileRinging) {
          seconds += Math.min(GIVE_UP_AFTER_S, ringLimit);
          hangupCause = 'ORIGINATOR_CANCEL';
          hungUp = true;
          break;
        }
        // A picked-up leg counts only once its key is pressed when the Dial asks for one (confirmKey): a person
        // presses it after hearing confirmSound, a voicemail greeting never does.
        const pickedUp = input.answered || !!input.deskVoicemail;
        const human = input.answered && !input.deskVoicemail;
        if (pickedUp && v.attrs.confirmKey && v.attrs.confirmSound) {
          await request('confirm', resolve(v.attrs.confirmSound), { CallStatus: 'in-progress', To: v.numbers[0] ?? input.to });
        }
        const answered = v.attrs.confirmKey ? human : pickedUp;
        seconds += answered ? Math.min(ANSWER_AFTER_S, ringLimit) + TALK_S : ringLimit;
        if (!v.attrs.action) continue; // without an action Plivo moves on to the next verb
        const res = await request('dial', resolve(v.attrs.action), {
          CallStatus: 'in-progress',
          DialStatus: answered ? 'completed' : 'no-answer',
          DialALegUUID: callUuid,
          DialBLegUUID: answered ? randomUUID() : '',
          DialRingStatus: 'true',
          DialHangupCause: answered ? 'NORMAL_CLEARING' : 'NO_ANSWER',
        }, methodOf(v));
        if (v.attrs.redirect === 'false') continue; // notify only: the current document goes on
        if (ok(res)) doc = { url: resolve(v.attrs.action), verbs: parseVerbs(res.body) };
        break;
      }

      if (v.name === 'Record') {
        const left = Math.min(input.voicemail ?? 0, intAttr(v, 'maxLength') ?? 60);
        if (left <= 0) {
          hungUp = true; // the caller hangs up at the beep instead of leaving a message
          break;
        }
        seconds += left;
        if (!v.attrs.action) continue;
        const recordingId = randomUUID();
        ctx.state.recordings.add(recordingId);
        const end = Date.now();
        const res = await request('record', resolve(v.attrs.action), {
          CallStatus: 'in-progress',
          RecordUrl: `${ctx.base()}/sandbox/recordings/${recordingId}.wav`,
          RecordingID: recordingId,
          RecordingDuration: String(left),
          RecordingDurationMs: String(left * 1000),
          RecordingStartMs: String(end - left * 1000),
          RecordingEndMs: String(end),
        }, methodOf(v));
        if (v.attrs.redirect === 'false') continue;
        if (ok(res)) doc = { url: resolve(v.attrs.action), verbs: parseVerbs(res.body) };
        break;
      }

      if (v.name === 'Redirect' && v.text) {
        const target = resolve(v.text);
        const res = await request('redirect', target, { CallStatus: 'in-progress' }, methodOf(v));
        if (ok(res)) doc = { url: target, verbs: parseVerbs(res.body) };
        break;
      }
    }
    if (hungUp) break;
  }

  const end = new Date();
  const start = new Date(end.getTime() - seconds * 1000);
  await request('hangup', `${ctx.base()}/plivo/voice/hangup`, {
    CallStatus: 'completed',
    Event: 'Hangup',
    HangupCause: hangupCause,
    HangupSource: 'Caller',
    Duration: String(seconds),
    BillDuration: String(seconds),
    StartTime: voiceTime(start),
    AnswerTime: voiceTime(start),
    EndTime: voiceTime(end),
  });
  return { callUuid, steps };
}
