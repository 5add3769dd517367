/** A location's CalDAV calendar as its CalendarPort; the booking service picks it when `calendar.type` is caldav. */
export { caldavCalendar, type CaldavConfig, type CaldavOptions } from './caldav-calendar.js';
