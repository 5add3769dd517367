import { browser } from 'wxt/browser';
import type { MeReply, ThreadSummary } from '@ringback/shared';
import { connectLive, createRelayApi, decideAlert, isRelayError, type AlertSound, type Live, type RelayApi, type RelaySettings } from '@ringback/shared/client';
import { badgeFor, type BadgeInput } from './badge';
import { foldMissed, handOffNote, missedCallNote, replyNote, BURST_ID, type Note } from './notify-rules';
import { notificationsEnabled } from './settings-store';
import { loadAlerts } from './alert-store';
import { playSound } from './play-sound';

const ICON = '/icon/128.png';

/**
 * The background's view of the queue: open threads kept current by Socket.IO (resynced by seq on every connect),
 * driving the toolbar badge and notifications.
 */
export class Watcher {
  private api: RelayApi | null = null;
  private live: Live | null = null;
  private me: MeReply | null = null;
  private open = new Map<string, ThreadSummary>();
  private seq = 0;
  private status: BadgeInput['kind'] = 'unconfigured';
  private missedAts: number[] = [];
  private generation = 0;

  async start(settings: RelaySettings | null): Promise<void> {
    this.stop();
    const gen = ++this.generation;
    if (!settings) return this.setStatus('unconfigured');
    this.api = createRelayApi(settings);
    try {
      await this.baseline();
    } catch (e) {
      if (gen !== this.generation) return;
      this.setStatus(isRelayError(e, 'unauthorized') ? 'unauthorized' : 'offline');
      if (isRelayError(e, 'unauthorized')) return;
    }
    if (gen !== this.generation) return;
    this.live = connectLive(settings, {
      thread: ({ thread }) => this.onThread(thread),
      escalation: ({ thread }) => this.onThread(thread),
      message: ({ threadId, message, seq }) => {
        this.seq = Math.max(this.seq, seq);
        void this.notify(replyNote(this.open.get(threadId), message, this.me?.staff.id ?? ''));
      },
      connected: () => void this.resync(),
      state: (s) => {
        if (s.kind === 'unauthorized') this.setStatus('unauthorized');
        else if (s.kind === 'offline') this.setStatus('offline');
      },
    });
  }

  stop(): void {
    this.live?.close();
    this.live = null;
  }

  /** Alarm tick: SLA breaches appear with time alone, and a dead service worker comes back here. */
  tick(): void {
    this.render();
  }

  isRunning(): boolean {
    return this.live !== null || this.status === 'unauthorized';
  }

  private async baseline(): Promise<void> {
    const [me, open] = await Promise.all([this.api!.me(), this.api!.openThreads()]);
    this.me = me;
    this.open = new Map(open.threads.map((t) => [t.id, t]));
    this.seq = Math.max(this.seq, open.seq);
    this.setStatus('threads');
  }

  private async resync(): Promise<void> {
    try {
      if (this.seq === 0 || !this.me) return await this.baseline();
      const r = await this.api!.events(this.seq);
      for (const t of r.threads) this.onThread(t, false);
      this.seq = Math.max(this.seq, r.seq);
      this.setStatus('threads');
    } catch (e) {
      if (isRelayError(e, 'unauthorized')) this.setStatus('unauthorized');
    }
  }

  private onThread(t: ThreadSummary, notify = true): void {
    this.seq = Math.max(this.seq, t.seq);
    const prev = this.open.get(t.id);
    if (prev && prev.seq >= t.seq) return;
    if (t.status === 'open') this.open.set(t.id, t);
    else this.open.delete(t.id);
    const meId = this.me?.staff.id ?? '';
    const note = missedCallNote(prev, t, meId);
    if (note) {
      const r = foldMissed(note, this.missedAts, Date.now());
      this.missedAts = r.missedAts;
      if (notify) void this.notify(r.note);
    } else if (handOffNote(prev, t)) {
      if (notify) void this.notify(handOffNote(prev, t));
    } else if (t.claim && t.claim.staffId !== meId) {
      // Someone else has it now: their caller, not our notification.
      void browser.notifications.clear(t.id);
    }
    this.render();
  }

  /** The location's zone, for quiet times; the browser's before the relay has answered. */
  timezone(): string {
    return this.me?.locations[0]?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  }

  /** Shows a note as the shared alert rules decide (urgent only, quiet times, sound); reminders come here too. */
  async notify(n: Note | null): Promise<void> {
    if (!n || (n.kind !== 'reminder' && !(await notificationsEnabled()))) return;
    const d = decideAlert({ kind: n.kind === 'burst' ? 'missed' : n.kind, urgent: n.urgent }, await loadAlerts(), new Date(), this.timezone());
    if (!d.show) return;
    if (n.id === BURST_ID) for (const [id, t] of this.open) if (!t.urgent) void browser.notifications.clear(id);
    const sound: AlertSound = d.sound;
    const played = sound !== 'none' && (await playSound(sound));
    await browser.notifications.create(n.id, {
      type: 'basic',
      iconUrl: browser.runtime.getURL(ICON as '/icon/128.png'),
      title: n.title,
      message: n.message,
      priority: n.urgent ? 2 : 1,
      // Firefox refuses the `silent` option; there the sound plays from the background page beside its own.
      ...(import.meta.env.FIREFOX ? {} : { silent: sound === 'none' || played }),
    });
  }

  private setStatus(s: BadgeInput['kind']): void {
    this.status = s;
    this.render();
  }

  private render(): void {
    this.missedAts = this.missedAts.filter((t) => Date.now() - t < 5 * 60_000);
    const input: BadgeInput =
      this.status === 'threads'
        ? { kind: 'threads', open: [...this.open.values()], now: Date.now(), claimMinutes: this.me?.sla.claimMinutes ?? 5 }
        : { kind: this.status };
    const b = badgeFor(input);
    void browser.action.setBadgeText({ text: b.text });
    void browser.action.setBadgeBackgroundColor({ color: b.color });
    void browser.action.setTitle({ title: b.title });
  }

  /** For tests and the popup: what the badge shows now. */
  badge() {
    return badgeFor(
      this.status === 'threads'
        ? { kind: 'threads', open: [...this.open.values()], now: Date.now(), claimMinutes: this.me?.sla.claimMinutes ?? 5 }
        : { kind: this.status },
    );
  }
}
