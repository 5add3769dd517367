import { STYLE } from './style.js';

/** What every page shows of the business: its name, the location, and a number to call. */
export interface Frame {
  business: string;
  location: string | null;
  phone: { display: string; e164: string } | null;
}

export interface ServiceChoice {
  href: string;
  label: string;
  minutes: number;
}

export interface SlotsView extends Frame {
  greeting: string | null;
  action: string;
  serviceId: string;
  serviceLabel: string;
  minutes: number;
  zone: string;
  days: { heading: string; slots: { start: string; time: string; label: string }[] }[];
  earlier: string | null;
  more: string | null;
  changeService: string | null;
  notice: string | null;
}

export interface BookedView extends Frame {
  greeting: string | null;
  serviceLabel: string;
  minutes: number;
  day: string;
  time: string;
  icsHref: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The footer says how to reach the business, unless the body already does. */
function page(title: string, f: Frame, body: string, footer = true): string {
  const call = f.phone
    ? `Questions? Call <a href="tel:${esc(f.phone.e164)}">${esc(f.phone.display)}</a> or reply to our text.`
    : 'Questions? Reply to our text.';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer">
<title>${esc(title)} · ${esc(f.business)}</title>
<style>${STYLE}</style></head><body><main>
<header><h1 class="biz">${esc(f.business)}</h1>${f.location ? `<p class="where">${esc(f.location)}</p>` : ''}</header>
${body}
${footer ? `<footer><p>${call}</p></footer>` : ''}
</main></body></html>`;
}

/** Unknown, expired, or no longer bookable: the same few words, nothing about the thread. */
export function goneHtml(f: Frame, expired: boolean): string {
  const call = f.phone ? `, or call us at <a href="tel:${esc(f.phone.e164)}">${esc(f.phone.display)}</a>` : '';
  return page(
    expired ? 'Link expired' : 'Link not found',
    f,
    `<h2>${expired ? 'This booking link has expired' : 'This booking link does not work'}</h2>
<p class="lead">To book, reply to our text${call}. We are happy to help.</p>`,
    false,
  );
}

export function servicesHtml(f: Frame & { greeting: string | null; services: ServiceChoice[]; urgent: string[] }): string {
  const urgent = f.urgent.length
    ? `<p class="notice">${esc(f.urgent.join(', '))}: please ${f.phone ? `call us now at <a href="tel:${esc(f.phone.e164)}">${esc(f.phone.display)}</a>` : 'reply to our text'} so we can see you as soon as possible.</p>`
    : '';
  return page(
    'Book a visit',
    f,
    `<h2>${f.greeting ? `${esc(f.greeting)} — what` : 'What'} would you like to book?</h2>
${urgent}<ul class="services">${f.services
      .map((s) => `<li><a href="${esc(s.href)}">${esc(s.label)} <span class="len">${s.minutes} min</span></a></li>`)
      .join('')}</ul>`,
  );
}

export function slotsHtml(v: SlotsView): string {
  const days = v.days.length
    ? v.days
        .map(
          (d, i) => `<section aria-labelledby="d${i}"><h3 id="d${i}">${esc(d.heading)}</h3>
<form method="post" action="${esc(v.action)}"><input type="hidden" name="serviceId" value="${esc(v.serviceId)}">
<fieldset class="times"><legend class="sr">${esc(d.heading)}</legend>${d.slots
            .map((s) => `<button type="submit" name="start" value="${esc(s.start)}" aria-label="Book ${esc(s.label)}">${esc(s.time)}</button>`)
            .join('')}</fieldset></form></section>`,
        )
        .join('\n')
    : `<p class="lead">No free times ${v.earlier ? 'from this day on' : 'in the coming weeks'}. Reply to our text and we will find one for you.</p>`;
  const nav = [
    v.earlier ? `<a class="btn" href="${esc(v.earlier)}">← Earlier times</a>` : '',
    v.more ? `<a class="btn" href="${esc(v.more)}">More times →</a>` : '',
  ].join('');
  return page(
    `Book a ${v.serviceLabel.toLowerCase()}`,
    v,
    `${v.notice ? `<p class="notice" role="alert">${esc(v.notice)}</p>` : ''}<h2>${v.greeting ? `${esc(v.greeting)} — pick` : 'Pick'} a time for your ${esc(v.serviceLabel.toLowerCase())}</h2>
<p class="muted">${v.minutes} minutes · times are ${esc(v.zone)} · tap a time to book it${v.changeService ? ` · <a href="${esc(v.changeService)}">change service</a>` : ''}</p>
${days}
${nav ? `<nav class="nav" aria-label="More times">${nav}</nav>` : ''}`,
  );
}

export function bookedHtml(v: BookedView): string {
  return page(
    'Booked',
    v,
    `<div class="booked" role="status"><p class="state">✓ Booked</p>
<p class="when">${esc(v.day)}, ${esc(v.time)}</p><p>${esc(v.serviceLabel)} · ${v.minutes} min${v.location ? ` · ${esc(v.location)}` : ''}</p></div>
<h2>${v.greeting ? `Thanks, ${esc(v.greeting.replace(/^Hi /, ''))}!` : 'Thank you!'} See you then.</h2>
<div class="actions"><a class="btn primary" href="${esc(v.icsHref)}">Add to calendar</a></div>
<p class="muted">Need to change or cancel? Reply to our text${v.phone ? ` or call <a href="tel:${esc(v.phone.e164)}">${esc(v.phone.display)}</a>` : ''}.</p>`,
    false,
  );
}

/** A try that did not book (too many tries, the calendar down): what to do instead. */
export function problemHtml(f: Frame, message: string): string {
  return page('Not booked', f, `<h2>Not booked</h2><p class="lead">${esc(message)}</p>`);
}
