import type { LineType } from '@ringback/shared';

/** Everything the simulated line remembers. In memory only: a sandbox restart is a fresh Plivo account. */

export type OutboundState = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';
/** How a message's delivery ends; 'sent' means the carrier never returns a delivery receipt. */
export type DeliveryOutcome = 'delivered' | 'undelivered' | 'failed' | 'sent';
export const deliveryOutcomes: readonly DeliveryOutcome[] = ['delivered', 'undelivered', 'failed', 'sent'];

export interface SentMessage {
  uuid: string;
  from: string;
  to: string;
  text: string;
  at: Date;
  state: OutboundState;
  /** Plivo error code: '000' while fine. */
  errorCode: string;
  units: number;
  callbackUrl: string | null;
  callbackMethod: 'GET' | 'POST';
}

/** An outbound call placed through the Call API stand-in (a call-back), and how it went. */
export interface OutboundCall {
  requestUuid: string;
  callUuid: string;
  from: string;
  to: string;
  answerUrl: string;
  hangupUrl: string | null;
  at: Date;
  /** The numbers the answer XML dialed (the caller, for a call-back). */
  dialed: string[];
  /** Caller ID the bridge used. */
  dialCallerId: string | null;
  result: 'ringing' | 'no-answer' | 'connected' | 'bridge-no-answer' | 'ended';
}

export type MessageFault = { kind: 'status'; status: number } | { kind: 'hang' };

/** Plivo lets one acknowledgment through to a handset in the first 5 minutes after it opted out. */
const OPT_OUT_ACK_WINDOW_MS = 5 * 60_000;

export class SandboxState {
  messages: SentMessage[] = [];
  readonly lineTypes = new Map<string, LineType>();
  readonly recordings = new Set<string>();
  stats = { messagePosts: 0, lookups: 0 };
  outboundCalls: OutboundCall[] = [];
  /** Who picks up the next call-backs: the staff phone, then the caller it bridges to. */
  outbound = { staffAnswers: true, callerAnswers: true };
  private statusFaults: number[] = [];
  private hangFaults = 0;
  private deliveryFaults: DeliveryOutcome[] = [];
  /** key `${handset}|${businessNumber}` → when the handset texted STOP and whether its one ack was used. */
  private readonly optOuts = new Map<string, { at: number; ackUsed: boolean }>();

  reset(): void {
    this.messages = [];
    this.stats = { messagePosts: 0, lookups: 0 };
    this.outboundCalls = [];
    this.outbound = { staffAnswers: true, callerAnswers: true };
    this.clearFaults();
    this.optOuts.clear();
  }

  clearFaults(): void {
    this.statusFaults = [];
    this.hangFaults = 0;
    this.deliveryFaults = [];
  }

  /** Replaces the fault queues that are given; the others keep their pending entries. */
  setFaults(f: { messageStatus?: number[]; hang?: number; delivery?: DeliveryOutcome[] }): void {
    if (f.messageStatus) this.statusFaults = [...f.messageStatus];
    if (f.hang !== undefined) this.hangFaults = f.hang;
    if (f.delivery) this.deliveryFaults = [...f.delivery];
  }

  faults(): { messageStatus: number[]; hang: number; delivery: DeliveryOutcome[] } {
    return { messageStatus: [...this.statusFaults], hang: this.hangFaults, delivery: [...this.deliveryFaults] };
  }

  /** The fault for this Message POST, consumed. Status faults come first, then hangs. */
  takeMessageFault(): MessageFault | null {
    const status = this.statusFaults.shift();
    if (status !== undefined) return { kind: 'status', status };
    if (this.hangFaults > 0) {
      this.hangFaults--;
      return { kind: 'hang' };
    }
    return null;
  }

  takeDeliveryFault(): DeliveryOutcome | null {
    return this.deliveryFaults.shift() ?? null;
  }

  lineType(e164: string): LineType {
    return this.lineTypes.get(e164) ?? 'mobile';
  }

  optOut(handset: string, business: string, now = Date.now()): void {
    this.optOuts.set(`${handset}|${business}`, { at: now, ackUsed: false });
  }

  optIn(handset: string, business: string): void {
    this.optOuts.delete(`${handset}|${business}`);
  }

  /** Whether a send from `business` to `handset` is blocked by an opt-out (uses up the one allowed ack). */
  blockedByOptOut(handset: string, business: string, now = Date.now()): boolean {
    const o = this.optOuts.get(`${handset}|${business}`);
    if (!o) return false;
    if (!o.ackUsed && now - o.at <= OPT_OUT_ACK_WINDOW_MS) {
      o.ackUsed = true;
      return false;
    }
    return true;
  }
}
