import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../http/free-port.js';

/** Debian's Radicale (apt-get install radicale); CI installs it, tests skip with a note when it is missing. */
export const RADICALE = '/usr/bin/radicale';
export const haveRadicale = existsSync(RADICALE);

export interface Radicale {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  username: string;
  password: string;
  /** The user's home collection (calendars are made under it). */
  home: string;
  /** Basic credentials for requests made as the test user. */
  authorization: string;
  /** MKCALENDAR `<home>/<name>/` (events only) and return its URL, for `booking.calendar.url`. */
  makeCalendar(name: string, displayName?: string): Promise<string>;
  /** Write an event as another calendar app would (PUT of iCalendar text); returns the HTTP status. */
  putEvent(calendarUrl: string, file: string, ics: string): Promise<number>;
  /** Kill the server, keeping its files (a "server went away" test); `stop` still cleans up. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real CalDAV server for tests: Radicale on a free loopback port, a config and a plain htpasswd file in a
 * temp dir (so credentials are really checked), collections on disk there. Waits until it answers.
 */
export async function startRadicale(opts: { username?: string; password?: string } = {}): Promise<Radicale> {
  const username = opts.username ?? 'dana';
  const password = opts.password ?? 'correct horse battery';
  const dir = await mkdtemp(path.join(tmpdir(), 'ringback-radicale-'));
  const port = await freePort();
  await writeFile(path.join(dir, 'users'), `${username}:${password}\n`);
  await writeFile(
    path.join(dir, 'config'),
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      '[auth]',
      'type = htpasswd',
      `htpasswd_filename = ${path.join(dir, 'users')}`,
      'htpasswd_encryption = plain',
      // Radicale delays every failed login by up to this many seconds; tests try a wrong password on purpose.
      'delay = 0',
      '[rights]',
      'type = owner_only',
      '[storage]',
      `filesystem_folder = ${path.join(dir, 'collections')}`,
      '[logging]',
      'level = warning',
      '',
    ].join('\n'),
  );

  const child: ChildProcess = spawn(RADICALE, ['--config', path.join(dir, 'config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d) => (log = (log + String(d)).slice(-4000)));
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));

  const kill = async () => {
    if (exited) return;
    child.kill('SIGKILL');
    await gone;
  };
  const stop = async () => {
    await kill();
    await rm(dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 10_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`radicale exited at start: ${log}`);
    }
    try {
      const res = await fetch(url + '/', { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > until) {
      await stop();
      throw new Error(`radicale did not answer on ${url} within 10 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const home = `${url}/${encodeURIComponent(username)}/`;
  const authorization = 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
  return {
    url,
    port,
    username,
    password,
    home,
    authorization,
    async makeCalendar(name, displayName = name) {
      const calendarUrl = `${home}${encodeURIComponent(name)}/`;
      const body =
        '<?xml version="1.0" encoding="utf-8"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>' +
        `<d:displayname>${displayName.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</d:displayname>` +
        '<c:supported-calendar-component-set><c:comp name="VEVENT"/></c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>';
      const res = await fetch(calendarUrl, { method: 'MKCALENDAR', headers: { authorization, 'content-type': 'application/xml' }, body });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`MKCALENDAR ${calendarUrl}: ${res.status}`);
      return calendarUrl;
    },
    async putEvent(calendarUrl, file, ics) {
      const res = await fetch(new URL(file, calendarUrl), { method: 'PUT', headers: { authorization, 'content-type': 'text/calendar; charset=utf-8' }, body: ics });
      await res.arrayBuffer();
      return res.status;
    },
    kill,
    stop,
  };
}
