import { businessConfigSchema, type BusinessConfig, type SettingsPatch, type SettingsReply } from '@ringback/shared';
import { describeIssues } from '../config/load.js';
import { own } from '../store/own.js';
import { audit, type Ctx } from '../threads/context.js';
import { DomainError } from '../threads/errors.js';

const KEY = 'business';

/** The accumulated patch, merged with a new one (later values win, keyword and template maps merge). */
export function mergePatch(a: SettingsPatch, b: SettingsPatch): SettingsPatch {
  const out: SettingsPatch = { ...a, ...b };
  if (a.business || b.business) out.business = { ...a.business, ...b.business };
  if (a.sla || b.sla) out.sla = { ...a.sla, ...b.sla };
  if (a.textBack || b.textBack) out.textBack = { ...a.textBack, ...b.textBack };
  if (a.keywords || b.keywords) out.keywords = { ...a.keywords, ...b.keywords };
  if (a.templates || b.templates) {
    out.templates = { ...a.templates };
    for (const [loc, t] of Object.entries(b.templates ?? {})) out.templates[loc] = { ...out.templates[loc], ...t };
  }
  return out;
}

/** The file's configuration with the API's changes on top, validated as a whole. */
export function applyPatch(base: BusinessConfig, patch: SettingsPatch): BusinessConfig {
  const unknown = Object.keys(patch.templates ?? {}).filter((id) => !base.locations.some((l) => l.id === id));
  if (unknown.length) throw new DomainError(400, 'invalid', `templates: unknown location ${unknown.map((u) => `"${u}"`).join(', ')}`);
  const next = {
    ...base,
    business: { ...base.business, ...patch.business },
    sla: { ...base.sla, ...patch.sla },
    textBack: { ...base.textBack, ...patch.textBack },
    keywords: { ...base.keywords, ...patch.keywords },
    urgency: patch.urgencyWords ? { ...base.urgency, words: patch.urgencyWords } : base.urgency,
    locations: base.locations.map((l) => ({ ...l, templates: { ...l.templates, ...patch.templates?.[l.id] } })),
  };
  const parsed = businessConfigSchema.safeParse(next);
  if (!parsed.success) throw new DomainError(400, 'invalid', describeIssues(parsed.error).join('; '));
  return parsed.data;
}

/**
 * Managers change a few settings while the relay runs; the change is kept in the data dir (on top of
 * the configuration file, which stays the base) and takes effect at once.
 */
export class Settings {
  constructor(
    private readonly ctx: Ctx,
    /** The business configuration as the file gave it. */
    private readonly base: BusinessConfig,
  ) {}

  /** At start: the saved changes on top of the file. A saved change the file no longer accepts is reported, not applied. */
  load(): void {
    const saved = own(this.ctx.store.data.settings, KEY);
    if (!saved) return;
    try {
      this.ctx.config.business = applyPatch(this.base, saved);
    } catch (e) {
      this.ctx.log.error({ err: (e as Error).message }, 'saved settings no longer fit the configuration file; using the file alone');
    }
  }

  read(): SettingsReply {
    const b = this.ctx.config.business;
    return {
      business: { bookingUrl: b.business.bookingUrl, averageValue: b.business.averageValue, monthlyCost: b.business.monthlyCost },
      sla: { claimMinutes: b.sla.claimMinutes, replyMinutes: b.sla.replyMinutes },
      textBack: { dedupeMinutes: b.textBack.dedupeMinutes, maxWaitSeconds: b.textBack.maxWaitSeconds },
      keywords: b.keywords,
      templates: Object.fromEntries(b.locations.map((l) => [l.id, l.templates])),
      urgencyWords: b.urgency.words,
      overrides: own(this.ctx.store.data.settings, KEY) ?? {},
    };
  }

  change(patch: SettingsPatch, staff: { id: string; name: string }): SettingsReply {
    const merged = mergePatch(own(this.ctx.store.data.settings, KEY) ?? {}, patch);
    this.ctx.config.business = applyPatch(this.base, merged);
    this.ctx.store.put('settings', KEY, merged);
    audit(this.ctx, staff, 'settings', null, { changed: patch });
    return this.read();
  }
}
