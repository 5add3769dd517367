import { maskNumber, type SandboxContext } from './context.js';
import { callbackTime } from './plivo-time.js';
import type { DeliveryOutcome, OutboundState, SentMessage } from './state.js';
import { sendWebhook } from './webhook.js';

/**
 * The carrier side of an accepted message: it moves through queued → sent → delivered (or fails), one status
 * callback per step, a few tens of milliseconds apart. Callbacks that are not answered 2xx are retried like Plivo
 * does (3 times), with Plivo's 60/120/240 s schedule compressed to seconds.
 */

export const STEP_MS = 30;
const RETRY_MS = [1_000, 2_000, 4_000];

/** Plivo SMS error codes (messaging/troubleshooting/error-codes). */
export const errorCodes = {
  ok: '000',
  invalidDestination: '50', // landlines are not SMS-enabled
  temporarilyUnavailable: '80',
  optedOut: '200',
  dispatchFailed: '300',
} as const;

const RATE = '0.00550';

function steps(outcome: DeliveryOutcome, failCode: string): { state: OutboundState; errorCode: string }[] {
  const ok = errorCodes.ok;
  switch (outcome) {
    case 'delivered':
      return [{ state: 'queued', errorCode: ok }, { state: 'sent', errorCode: ok }, { state: 'delivered', errorCode: ok }];
    case 'sent':
      return [{ state: 'queued', errorCode: ok }, { state: 'sent', errorCode: ok }];
    case 'undelivered':
      return [{ state: 'queued', errorCode: ok }, { state: 'sent', errorCode: ok }, { state: 'undelivered', errorCode: failCode }];
    case 'failed':
      return [{ state: 'queued', errorCode: ok }, { state: 'failed', errorCode: failCode }];
  }
}

export function runDelivery(ctx: SandboxContext, msg: SentMessage, outcome: DeliveryOutcome, failCode: string): void {
  const times: Partial<Record<OutboundState, Date>> = {};
  steps(outcome, failCode).forEach((step, i) => {
    ctx.bg.later(STEP_MS * (i + 1), () => {
      const now = new Date();
      times[step.state] = now;
      msg.state = step.state;
      msg.errorCode = step.errorCode;
      if (msg.callbackUrl) postStatus(ctx, msg, step.state, step.errorCode, i + 1, times, 0);
    });
  });
}

function postStatus(
  ctx: SandboxContext,
  msg: SentMessage,
  state: OutboundState,
  errorCode: string,
  sequence: number,
  times: Partial<Record<OutboundState, Date>>,
  attempt: number,
): void {
  const final = times.delivered ?? times.undelivered ?? times.failed;
  const params: Record<string, string> = {
    MessageUUID: msg.uuid,
    ParentMessageUUID: msg.uuid,
    PartInfo: '1 of 1',
    Status: state,
    To: msg.to,
    From: msg.from,
    Type: 'sms',
    Sequence: String(sequence),
    ErrorCode: errorCode,
    Units: String(msg.units),
    TotalRate: RATE,
    TotalAmount: (Number(RATE) * msg.units).toFixed(5),
    MCC: '310',
    MNC: '160',
    MessageTime: callbackTime(msg.at),
    QueuedTime: callbackTime(times.queued ?? msg.at),
    ...(times.sent ? { SentTime: callbackTime(times.sent) } : {}),
    ...(final && state !== 'queued' && state !== 'sent' ? { DeliveryReportTime: callbackTime(final) } : {}),
  };
  const url = msg.callbackUrl!;
  void sendWebhook({ kind: 'messaging', url, params, token: ctx.opts.authToken, method: msg.callbackMethod, signal: ctx.bg.signal, timeoutMs: 8_000 }).then((res) => {
    if (res.status >= 200 && res.status < 300) return;
    if (ctx.bg.closed) return;
    const retryIn = RETRY_MS[attempt];
    ctx.log.warn(
      { uuid: msg.uuid, status: state, to: maskNumber(msg.to), httpStatus: res.status, retryInMs: retryIn ?? null },
      'sandbox: status callback not accepted',
    );
    if (retryIn !== undefined) ctx.bg.later(retryIn, () => postStatus(ctx, msg, state, errorCode, sequence, times, attempt + 1));
  });
}
