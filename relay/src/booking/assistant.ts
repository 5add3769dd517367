import {
  bookingIntent,
  isOpen,
  pickChoice,
  scoreUrgency,
  timeWish,
  urgentWordList,
  yesNo,
  type AssistantState,
  type Choice,
  type HandOffReason,
  type Message,
  type Service,
  type ThreadSummary,
  type TimeWish,
} from '@ringback/shared';
import { own } from '../store/own.js';
import { markUrgent } from '../threads/urgent.js';
import { audit, firstName, locationById, settle, type Ctx } from '../threads/context.js';
import { answerQuestion, knownAnswer, slotChoices } from './assistant-answers.js';
import { assistantActive, handOff, say, startState } from './assistant-state.js';
import * as say_ from './assistant-texts.js';
import type { Bookings } from './bookings.js';
import { CalendarUnavailableError } from './calendar-port.js';
import { sandboxClassifierUrl } from '../sandbox/classifier-sim.js';
import { classify as askModel } from './classifier.js';

/** A reply older than this when the relay restarts is left to staff rather than answered late. */
const RESUME_WITHIN_MS = 15 * 60_000;

/** Classifies a reply the rules did not understand: one of the options' ids, or null. Never free text. */
export type Classify = (text: string, options: readonly Choice[]) => Promise<string | null>;

/**
 * The configured model (`booking.classifier`), or none. In sandbox mode without one, the sandbox's stand-in
 * model answers, so the demo shows this path with no model installed.
 */
export function modelClassifier(ctx: Ctx): Classify | null {
  const { config } = ctx;
  const configured = config.business.booking?.classifier;
  const cfg = configured ?? (config.sandbox ? { url: sandboxClassifierUrl(config.publicUrl), model: 'sandbox', timeoutMs: 2000 } : null);
  return cfg ? (text, options) => askModel(text, [...options], cfg) : null;
}

/** What one turn decided: texts to send, or a hand-off (with a last text). */
interface Turn {
  texts: string[];
  handOff?: { reason: HandOffReason; text: string | null; urgentWords?: string[] };
}

/**
 * The booking assistant: takes a caller's thread when they reply (always, after hours, or never, per
 * location), asks the service and the business's questions one at a time, reads a wished time from any
 * message, offers free slots and books the one chosen. It steps back for good when staff claim or answer
 * the thread, the caller opts out, the caller is urgent, or it fails to understand twice in a row.
 * Each thread's replies are handled one after another, after the webhook that brought them is on disk.
 */
export class Assistant {
  private chains = new Map<string, Promise<void>>();
  private urgentFor: readonly string[] | undefined;
  private urgentWords: string[] = [];
  /** Turns in flight (tests and shutdown wait for them). */
  private pending = new Set<Promise<void>>();

  constructor(
    private readonly ctx: Ctx,
    private readonly bookings: Bookings,
    private readonly classify: Classify | null = modelClassifier(ctx),
  ) {}

  /**
   * An ordinary reply (not a compliance keyword, not a business keyword, not an auto-responder) arrived on the
   * thread. Runs inside the webhook's change: decides whether the assistant has the thread, and queues the turn.
   */
  onReply(thread: ThreadSummary, message: Message): void {
    const cfg = this.ctx.config.business.booking;
    const loc = locationById(this.ctx, thread.locationId);
    if (!cfg || !loc.booking || message.automated || thread.optedOut || thread.optOutReview) return;
    let a = thread.assistant ?? null;
    let fresh = false;
    // A new missed call after the assistant stepped back (or after a booking) is a new conversation.
    const newCall = a && thread.lastMissedAt && (a.handedOff?.at ?? a.startedAt) < thread.lastMissedAt && a.step !== 'booked';
    if (!a || (a.step === 'handed-off' && newCall)) {
      const mode = loc.booking.assistant;
      const takes = mode === 'always' || (mode === 'after-hours' && !isOpen(loc.hours, loc.timezone, this.ctx.now()));
      if (!takes || thread.claim || this.experimentSaysOff(thread)) return;
      a = thread.assistant = startState(this.ctx.now());
      fresh = true;
      audit(this.ctx, null, 'assistant-start', thread.id, { mode });
    }
    if (a.step === 'handed-off') return;
    // Someone on staff holds the thread (however they came to): the conversation is theirs.
    if (thread.claim) {
      handOff(this.ctx, thread, 'claimed');
      return;
    }
    a.textsSinceReply = 0;
    if (a.handedOff?.reason === 'text-cap') a.handedOff = null;
    this.ctx.changes.thread(thread);
    this.enqueue(thread.id, () => this.turn(thread.id, message.id, fresh));
  }

  /**
   * An A/B test of the assistant itself (an experiment with `assistant: true`, variants on/off) records the
   * call's variant on its text-back: callers in "off" are left to staff, for a fair comparison.
   */
  private experimentSaysOff(thread: ThreadSummary): boolean {
    const id = thread.textBack?.messageId;
    const variant = id ? own(this.ctx.store.data.messages, id)?.variant : null;
    if (!variant || variant.variant !== 'off') return false;
    return this.ctx.config.business.experiments.find((x) => x.id === variant.experiment)?.assistant === true;
  }

  /**
   * After a restart: a reply that arrived (it is on disk) but was not answered before the relay stopped gets
   * its answer now, if it is recent enough that an answer still makes sense.
   */
  resume(): number {
    const now = this.ctx.now().getTime();
    let n = 0;
    for (const t of Object.values(this.ctx.store.data.threads)) {
      const a = t.assistant;
      if (!a || a.step === 'handed-off' || a.step === 'booked' || t.optedOut || t.claim) continue;
      const lastId = this.ctx.indexes.messages(t.id).at(-1);
      const last = lastId ? own(this.ctx.store.data.messages, lastId) : undefined;
      if (!last || last.kind !== 'inbound' || last.automated || now - Date.parse(last.at) > RESUME_WITHIN_MS) continue;
      const greeted = this.ctx.indexes.messages(t.id).some((id) => own(this.ctx.store.data.messages, id)?.kind === 'assistant');
      this.enqueue(t.id, () => this.turn(t.id, last.id, !greeted));
      n++;
    }
    return n;
  }

  /** Resolves once every queued turn has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private enqueue(threadId: string, job: () => Promise<void>): void {
    const prev = this.chains.get(threadId) ?? Promise.resolve();
    // setImmediate: the webhook that brought the reply commits first.
    const run = prev.then(() => new Promise<void>((r) => setImmediate(r))).then(job);
    const tail = run.catch((e: unknown) => this.ctx.log.error({ err: String(e), threadId }, 'the booking assistant failed on a reply'));
    this.chains.set(threadId, tail);
    this.pending.add(tail);
    void tail.then(() => {
      this.pending.delete(tail);
      if (this.chains.get(threadId) === tail) this.chains.delete(threadId);
    });
  }

  private async turn(threadId: string, messageId: string, fresh: boolean): Promise<void> {
    const thread = own(this.ctx.store.data.threads, threadId);
    const message = own(this.ctx.store.data.messages, messageId);
    if (!thread?.assistant || !message || !assistantActive(thread)) return;
    const { step, bookingId } = thread.assistant;
    const draft = structuredClone(thread.assistant);
    const turn = await this.think(thread, draft, message.text, fresh);
    if (!turn) return;
    this.ctx.store.transaction(() => {
      const t = this.ctx.store.edit('threads', threadId);
      // Staff took over, the caller opted out, or booked on the page while the assistant was thinking: it stays silent.
      if (!t?.assistant || t.assistant.step === 'handed-off' || t.optedOut) return;
      if (t.assistant.step !== step || t.assistant.bookingId !== bookingId) return;
      const { textsSinceReply, handedOff } = t.assistant;
      t.assistant = { ...draft, textsSinceReply, handedOff };
      this.ctx.changes.thread(t);
      const greet = fresh ? say_.greeting(firstName(t.callerName)) : '';
      const texts = turn.handOff?.text ? [turn.handOff.text] : turn.texts;
      texts.forEach((text, i) => say(this.ctx, t, i === 0 ? greet + text : text));
      if (turn.handOff) {
        if (turn.handOff.urgentWords) markUrgent(this.ctx, t, turn.handOff.urgentWords, messageId);
        handOff(this.ctx, t, turn.handOff.reason);
      }
    });
    await settle(this.ctx);
  }

  /** One reply, one decision. Null when the turn's work was done elsewhere (a booking made, moved or cancelled). */
  private async think(thread: ThreadSummary, d: AssistantState, text: string, fresh: boolean): Promise<Turn | null> {
    const cfg = this.ctx.config.business.booking!;
    const loc = locationById(this.ctx, thread.locationId);
    const urgent = this.urgent(text);
    if (urgent.length > 0) return { texts: [], handOff: { reason: 'urgent', text: say_.urgentText, urgentWords: urgent } };

    const wish = timeWish(text, { now: this.ctx.now(), timezone: loc.timezone, hours: loc.booking?.schedule.hours });
    if (wish) d.wish = wish;

    if (d.step === 'booked') {
      const intent = bookingIntent(text);
      if (intent === 'cancel' && d.bookingId) {
        await this.bookings.cancel(d.bookingId, 'assistant');
        return null;
      }
      if (intent !== 'move') return null; // "thanks!": staff see it in the queue
      d.misses = 0;
      if (!wish) {
        d.step = 'time';
        return { texts: [say_.askTime] };
      }
      return this.offer(thread, d, wish, 'Sure. ');
    }

    let understood = Boolean(wish);
    if (!d.serviceId) {
      const id = pickChoice(text, cfg.services) ?? (d.step === 'service' ? await this.classified(text, cfg.services) : null);
      if (id) {
        d.serviceId = id;
        understood = true;
        const service = this.service(id)!;
        if (service.urgent) return { texts: [], handOff: { reason: 'urgent', text: say_.urgentText, urgentWords: [service.label.toLowerCase()] } };
      }
    } else if (d.step === 'question' && d.questionId) {
      const q = cfg.questions.find((x) => x.id === d.questionId);
      if (q) {
        let answer = answerQuestion(q, text);
        if (!answer.ok && answer.reason === 'unclear' && q.options) {
          const id = await this.classified(text, q.options);
          if (id) answer = { ok: true, value: id };
        }
        if (answer.ok) {
          d.answers[q.id] = answer.value;
          understood = true;
        } else if (answer.reason === 'not-allowed') {
          return { texts: [], handOff: { reason: 'off-script', text: say_.handOffText } };
        }
      }
    } else if (d.step === 'offer' && d.offered.length > 0) {
      const choices = slotChoices(d.offered, loc.timezone, this.ctx.now());
      let pick = pickChoice(text, choices);
      if (pick === null && d.offered.length === 1 && yesNo(text) === 'yes') pick = '0';
      if (pick === null && !wish && yesNo(text) === 'no') {
        d.step = 'time';
        d.offered = [];
        d.misses = 0;
        return { texts: [say_.askTime] };
      }
      if (pick === null && !wish) pick = await this.classified(text, choices);
      if (pick !== null) return this.book(thread, d, d.offered[Number(pick)]!);
    }

    // A first reply that names nothing ("hi", "yes") simply gets the first question.
    if (!understood && !fresh) return this.miss(d);
    d.misses = 0;
    return this.advance(thread, d);
  }

  /** The next thing to ask, or the offers once everything is known. */
  private async advance(thread: ThreadSummary, d: AssistantState): Promise<Turn> {
    const cfg = this.ctx.config.business.booking!;
    if (!d.serviceId) {
      d.step = 'service';
      return { texts: [say_.askService(cfg.services)] };
    }
    const contactId = thread.contactId ?? this.ctx.indexes.contactFor(thread.caller);
    const contact = contactId ? own(this.ctx.store.data.contacts, contactId) : undefined;
    for (const q of cfg.questions) {
      if (Object.hasOwn(d.answers, q.id)) continue;
      const known = knownAnswer(q, contact);
      if (known !== null) {
        d.answers[q.id] = known;
        continue;
      }
      d.step = 'question';
      d.questionId = q.id;
      return { texts: [say_.askQuestion(q)] };
    }
    d.questionId = null;
    d.qualifiedAt ??= this.ctx.now().toISOString();
    return this.offer(thread, d, d.wish, '');
  }

  private async offer(thread: ThreadSummary, d: AssistantState, wish: TimeWish | null, lead: string): Promise<Turn> {
    const service = this.service(d.serviceId);
    if (!service) return { texts: [], handOff: { reason: 'off-script', text: say_.handOffText } };
    let slots;
    try {
      slots = await this.bookings.offers(thread.id, wish, service.id);
    } catch (e) {
      if (e instanceof CalendarUnavailableError) {
        this.ctx.log.warn({ err: String(e), threadId: thread.id }, 'the calendar is unavailable; the assistant hands the thread to staff');
        return { texts: [], handOff: { reason: 'calendar-down', text: say_.handOffText } };
      }
      throw e;
    }
    if (slots.length === 0) {
      // Nothing at all within the horizon: only staff can help.
      if (!wish) return { texts: [], handOff: { reason: 'no-slots', text: say_.handOffText } };
      d.step = 'time';
      d.offered = [];
      return { texts: [say_.noSlotsText(service)] };
    }
    d.step = 'offer';
    d.offered = slots;
    return { texts: [say_.offerText(slots, locationById(this.ctx, thread.locationId).timezone, this.ctx.now(), service, lead)] };
  }

  /** Book (or move) the chosen slot; a time taken meanwhile gets fresh offers. */
  private async book(thread: ThreadSummary, d: AssistantState, slot: { start: string; end: string }): Promise<Turn | null> {
    const live = own(this.ctx.store.data.threads, thread.id);
    if (!live || !assistantActive(live)) return null;
    // What this turn learnt is on the thread before the booking copies its answers.
    this.ctx.store.transaction(() => {
      const t = this.ctx.store.edit('threads', thread.id);
      if (t?.assistant) t.assistant.answers = { ...d.answers };
    });
    const result = d.bookingId ? await this.bookings.move(d.bookingId, slot, 'assistant') : await this.bookings.book(thread.id, slot, 'assistant', null, d.serviceId ?? undefined);
    if (result.ok || result.reason === 'calendar-down') return null;
    d.misses = 0;
    if (result.offers.length === 0) {
      d.step = 'time';
      d.offered = [];
      return { texts: [say_.takenText + say_.askTime] };
    }
    d.step = 'offer';
    d.offered = result.offers;
    const tz = locationById(this.ctx, thread.locationId).timezone;
    return { texts: [say_.offerText(result.offers, tz, this.ctx.now(), this.service(d.serviceId)!, say_.takenText)] };
  }

  /** Not understood: ask again once, then hand the thread to staff. */
  private miss(d: AssistantState): Turn {
    d.misses = (d.misses ?? 0) + 1;
    if (d.misses >= 2) return { texts: [], handOff: { reason: 'off-script', text: say_.handOffText } };
    return { texts: [say_.notUnderstood(this.again(d))] };
  }

  /** The current question, as asked. */
  private again(d: AssistantState): string {
    const cfg = this.ctx.config.business.booking!;
    if (d.step === 'question') {
      const q = cfg.questions.find((x) => x.id === d.questionId);
      if (q) return say_.askQuestion(q);
    }
    if (d.step === 'offer' && d.offered.length > 0) return `Reply with the number of the time you'd like, or tell me another day and time.`;
    if (d.step === 'time') return say_.askTime;
    return say_.askService(cfg.services);
  }

  /** The optional model's pick among the options; never waits past its timeout, never blocks the reply. */
  private async classified(text: string, options: readonly Choice[]): Promise<string | null> {
    if (!this.classify) return null;
    try {
      const id = await this.classify(text, options);
      return id !== null && options.some((o) => o.id === id) ? id : null;
    } catch (e) {
      this.ctx.log.warn({ err: String(e) }, 'the reply classifier failed; carrying on without it');
      return null;
    }
  }

  private urgent(text: string): string[] {
    const { industry, words } = this.ctx.config.business.urgency;
    if (this.urgentFor !== words) {
      this.urgentFor = words;
      this.urgentWords = urgentWordList(industry, words);
    }
    return scoreUrgency(text, this.urgentWords).words;
  }

  private service(id: string | null): Service | undefined {
    return id ? this.ctx.config.business.booking?.services.find((s) => s.id === id) : undefined;
  }
}
