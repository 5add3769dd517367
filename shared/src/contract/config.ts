import { z } from 'zod';
import { HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from '../domain/keywords.js';
import { unknownTemplateVariables } from '../domain/templates.js';
import { bookingConfigSchema, locationBookingSchema } from './booking.js';

/** "HH:MM" on a 24-hour clock; "24:00" closes a shift at midnight. */
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:MM (24-hour clock)');
const shift = z.tuple([clock, clock]).refine(([a, b]) => a < b, 'a shift must end after it starts');
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number like +15125550100');

export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof weekdays)[number];

export const hoursSchema = z.partialRecord(z.enum(weekdays), z.array(shift));
export type Hours = z.infer<typeof hoursSchema>;

/** A text-back template: a misspelled variable would render empty (a text without the booking link), so it is refused. */
const template = z
  .string()
  .min(1)
  .superRefine((t, ctx) => {
    for (const message of unknownTemplateVariables(t)) ctx.addIssue({ code: 'custom', message });
  });

// Every object is strict: a misspelled key ("quietHour") would otherwise be dropped silently.
export const templatesSchema = z
  .object({
    missed: template,
    afterHours: template,
    voicemail: template,
  })
  .strict();
export type Templates = z.infer<typeof templatesSchema>;
export type TemplateName = keyof Templates;

const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone');

export const locationSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  name: z.string().min(1),
  timezone,
  /** Tracking numbers callers dial (Plivo numbers). */
  numbers: z.array(e164).min(1),
  /** Front-desk phones the call is forwarded to. */
  ring: z.array(e164).min(1),
  ringSeconds: z.number().int().min(5).max(120).default(20),
  hours: hoursSchema,
  templates: templatesSchema,
  /** Spoken before the voicemail beep. */
  greeting: z.string().min(1).optional(),
  /** Overrides textBack.quietHours here (null: no quiet hours at this location); the caller is presumed local. */
  quietHours: z.lazy(() => quietHoursSchema).nullable().optional(),
  /** The desk must press this key to take a forwarded call, so a desk phone's own voicemail is not "answered". */
  confirmKey: z.string().regex(/^[0-9*#]$/, 'one key: 0-9, * or #').optional(),
  /** The booking assistant here: when it takes over, where it books, the bookable hours (needs top-level `booking`). */
  booking: locationBookingSchema.optional(),
}).strict();
export type Location = z.infer<typeof locationSchema>;

/**
 * An A/B test of text-back copy: each missed call gets one variant, chosen from its CallUUID, so a
 * retried webhook never switches it. Variants are templates like the location's own.
 * With `assistant: true` it tests the booking assistant instead: variants `on` and `off` (no template, no text);
 * the assistant takes a thread only for `on` (see assistantVariant), and the text-back records the variant.
 */
export const experimentSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
    /** The text-back tested (copy experiments only). */
    template: z.enum(['missed', 'afterHours', 'voicemail']).optional(),
    /** Assistant on against off, instead of copy. */
    assistant: z.literal(true).optional(),
    /** Locations it runs at; all when absent. */
    locations: z.array(z.string()).min(1).optional(),
    /** What decides the winner. */
    metric: z.enum(['replied', 'booked']).default('replied'),
    /** No winner is called before every variant has this many text-backs. */
    minSamplePerVariant: z.number().int().min(10).default(100),
    variants: z
      .array(z.object({ id: z.string().regex(/^[A-Za-z0-9-]+$/), weight: z.number().positive().default(1), text: template.optional() }).strict())
      .min(2, 'an experiment needs at least two variants'),
  })
  .strict()
  .refine((e) => new Set(e.variants.map((v) => v.id)).size === e.variants.length, 'variant ids must differ')
  .superRefine((e, ctx) => {
    if (e.assistant) {
      if (e.template) ctx.addIssue({ code: 'custom', path: ['template'], message: 'an assistant experiment sends the location\'s own text-back: no template' });
      if (e.variants.length !== 2 || !e.variants.some((v) => v.id === 'on') || !e.variants.some((v) => v.id === 'off')) {
        ctx.addIssue({ code: 'custom', path: ['variants'], message: 'an assistant experiment has exactly the variants "on" and "off"' });
      }
      e.variants.forEach((v, j) => v.text !== undefined && ctx.addIssue({ code: 'custom', path: ['variants', j, 'text'], message: 'an assistant experiment has no text' }));
      return;
    }
    if (!e.template) ctx.addIssue({ code: 'custom', path: ['template'], message: 'a copy experiment names the template it tests (or set "assistant": true)' });
    e.variants.forEach((v, j) => v.text === undefined && ctx.addIssue({ code: 'custom', path: ['variants', j, 'text'], message: 'a copy variant needs its text' }));
  });
export type Experiment = z.infer<typeof experimentSchema>;

/** Quiet hours in the caller's local time; immediate text-backs may be exempt (policy). */
export const quietHoursSchema = z
  .object({
    start: clock,
    end: clock,
    exemptImmediate: z.boolean().default(true),
  })
  .strict()
  .refine((q) => q.start !== q.end, 'quiet hours must start and end at different times');

/** Compliance keywords are answered by the relay itself; a business keyword may not shadow them. */
const reservedKeywords = new Set([...OPT_OUT_KEYWORDS, ...OPT_IN_KEYWORDS, ...HELP_KEYWORDS]);
export type QuietHours = z.infer<typeof quietHoursSchema>;

export const businessConfigSchema = z
  .object({
    business: z.object({
      name: z.string().min(1),
      bookingUrl: z.url(),
      averageValue: z.number().nonnegative().default(0),
      monthlyCost: z.number().nonnegative().default(0),
      /** Default country for numbers written without +country code. */
      country: z.string().length(2).default('US'),
      /** Price of one SMS segment, for cost per booking and ROI. */
      smsUnitCost: z.number().nonnegative().default(0.0079),
      /** Share of replied conversations assumed to book, for the estimated-revenue view. */
      assumedBookingRate: z.number().min(0).max(1).default(0.3),
      /** Staff minutes an automatic text-back saves compared with a manual callback. */
      minutesSavedPerText: z.number().nonnegative().default(2),
    }).strict(),
    locations: z.array(locationSchema).min(1),
    textBack: z
      .object({
        dedupeMinutes: z.number().int().min(0).max(7 * 24 * 60).default(30),
        maxWaitSeconds: z.number().int().min(1).max(3600).default(120),
        quietHours: quietHoursSchema.nullable().default(null),
        /** Sends held by quiet hours leave this many seconds apart when the window opens, never in one burst. */
        releaseSpacingSeconds: z.number().int().min(0).max(3600).default(30),
      })
      .strict()
      .prefault({}),
    keywords: z
      .record(
        z
          .string()
          .regex(/^[A-Z0-9]+$/, 'keywords are upper-case words')
          .refine((k) => !reservedKeywords.has(k), 'reserved for opt-out, opt-in and help; choose another word'),
        z.string().min(1),
      )
      .default({}),
    sla: z
      .object({
        claimMinutes: z.number().positive().default(5),
        /** A claimed thread with no staff text for this long (open hours only) escalates too. */
        replyMinutes: z.number().positive().default(15),
        /** Name of the staff member (the manager on duty) an escalated thread is handed to; none when absent. */
        reassignTo: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    compliance: z
      .object({
        /** A plain-words revocation ("please stop texting me"): suppress at once, or flag it for staff to confirm. */
        revocationByIntent: z.enum(['suppress', 'review']).default('suppress'),
      })
      .strict()
      .prefault({}),
    urgency: z
      .object({
        /** Picks the built-in urgent words (shared/src/domain/urgency.ts). */
        industry: z.enum(['general', 'dental', 'medical', 'home-services', 'legal']).default('general'),
        /** Extra words or phrases that mark a reply urgent. */
        words: z.array(z.string().trim().min(2).max(40)).default([]),
      })
      .strict()
      .prefault({}),
    experiments: z.array(experimentSchema).default([]),
    /** Services and qualification questions of the booking assistant. */
    booking: bookingConfigSchema.optional(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    cfg.locations.forEach((loc, i) => {
      if (loc.booking && !cfg.booking) ctx.addIssue({ code: 'custom', path: ['locations', i, 'booking'], message: 'a location books only when the top-level "booking" names the services' });
    });
    const running = new Map<string, string>();
    cfg.experiments.forEach((e, i) => {
      for (const loc of e.locations ?? cfg.locations.map((l) => l.id)) {
        const place = cfg.locations.find((l) => l.id === loc);
        if (!place) ctx.addIssue({ code: 'custom', path: ['experiments', i, 'locations'], message: `unknown location "${loc}"` });
        const key = `${loc}/${e.assistant ? 'assistant' : e.template}`;
        const other = running.get(key);
        if (other) ctx.addIssue({ code: 'custom', path: ['experiments', i], message: `"${e.id}" and "${other}" both test the ${e.assistant ? 'assistant' : `${e.template} text`} at ${loc}` });
        running.set(key, e.id);
        // One experiment per text-back: it records its variant there (assistant and copy tests would blur each other).
        const mixed = cfg.experiments.find((x) => x !== e && !x.assistant !== !e.assistant && (x.locations ?? cfg.locations.map((l) => l.id)).includes(loc));
        if (e.assistant && mixed) ctx.addIssue({ code: 'custom', path: ['experiments', i], message: `"${e.id}" tests the assistant at ${loc} while "${mixed.id}" tests its copy: run one at a time` });
        if (e.assistant && place && (!place.booking || place.booking.assistant === 'never')) {
          ctx.addIssue({ code: 'custom', path: ['experiments', i, 'locations'], message: `"${e.id}" tests the assistant at ${loc}, where the assistant is off (locations[].booking.assistant)` });
        }
      }
    });
    const ids = new Set<string>();
    const numbers = new Map<string, string>();
    cfg.locations.forEach((loc, i) => {
      if (ids.has(loc.id)) ctx.addIssue({ code: 'custom', path: ['locations', i, 'id'], message: `duplicate location id "${loc.id}"` });
      ids.add(loc.id);
      loc.numbers.forEach((n, j) => {
        const other = numbers.get(n);
        if (other) ctx.addIssue({ code: 'custom', path: ['locations', i, 'numbers', j], message: `${n} already belongs to location "${other}"` });
        numbers.set(n, loc.id);
      });
    });
  });
export type BusinessConfig = z.infer<typeof businessConfigSchema>;
export type BusinessConfigInput = z.input<typeof businessConfigSchema>;

/** Process environment (DESIGN "Configuration"). */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  RINGBACK_DATA_DIR: z.string().min(1).default('./data'),
  RINGBACK_CONFIG: z.string().min(1).optional(),
  /** sandbox: the simulated line on demo data; plivo: the real carrier (implied when Plivo credentials are set). */
  RINGBACK_MODE: z.enum(['sandbox', 'plivo']).optional(),
  /** "1": start sandbox mode even on data that is not demo data, or on a non-loopback HOST (logged as a warning). */
  RINGBACK_FORCE_SANDBOX: z.enum(['0', '1']).optional(),
  /** Where hourly backups go (default DATA_DIR/backups); best on another disk. */
  RINGBACK_BACKUP_DIR: z.string().min(1).optional(),
  PLIVO_AUTH_ID: z.string().min(1).optional(),
  PLIVO_AUTH_TOKEN: z.string().min(1).optional(),
  PLIVO_API_URL: z.url().optional(),
  PLIVO_LOOKUP_URL: z.url().optional(),
  /** Extra origins allowed to open a socket (comma separated), beside the relay's own. */
  RINGBACK_ALLOWED_ORIGINS: z.string().optional(),
  /** Reverse proxies whose X-Forwarded-For is believed (comma separated addresses, CIDRs, or `loopback`). */
  RINGBACK_TRUST_PROXY: z.string().optional(),
  /** Bearer token that opens /metrics to non-loopback scrapers (a manager token works too). */
  RINGBACK_METRICS_TOKEN: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type Env = z.infer<typeof envSchema>;
