import { randomUUID } from 'node:crypto';
import { maskNumber, type SandboxContext } from './context.js';
import { errorCodes, runDelivery } from './delivery.js';
import { smsUnits } from './sms-facts.js';
import type { DeliveryOutcome, SentMessage } from './state.js';

/**
 * Records one outgoing SMS and starts its delivery. The outcome is decided here, the way a carrier would:
 * landlines cannot take SMS (error 50), an opted-out handset is blocked (error 200, after Plivo's one allowed
 * acknowledgment), otherwise the next injected delivery fault applies, else it is delivered.
 */
export function acceptMessage(
  ctx: SandboxContext,
  m: { from: string; to: string; text: string; callbackUrl: string | null; callbackMethod: 'GET' | 'POST' },
): SentMessage {
  const { state } = ctx;
  const msg: SentMessage = {
    uuid: randomUUID(),
    ...m,
    at: new Date(),
    state: 'queued',
    errorCode: errorCodes.ok,
    units: smsUnits(m.text),
  };
  state.messages.push(msg);
  let outcome: DeliveryOutcome = 'delivered';
  let failCode: string = errorCodes.ok;
  if (state.lineType(m.to) === 'landline') [outcome, failCode] = ['failed', errorCodes.invalidDestination];
  else if (state.blockedByOptOut(m.to, m.from)) [outcome, failCode] = ['failed', errorCodes.optedOut];
  else {
    outcome = state.takeDeliveryFault() ?? 'delivered';
    if (outcome === 'failed') failCode = errorCodes.dispatchFailed;
    if (outcome === 'undelivered') failCode = errorCodes.temporarilyUnavailable;
  }
  runDelivery(ctx, msg, outcome, failCode);
  ctx.log.info({ uuid: msg.uuid, to: maskNumber(m.to), outcome }, 'sandbox: message accepted');
  return msg;
}
