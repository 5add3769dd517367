import type { BusinessConfigInput } from '@ringback/shared';
import { testBusiness } from '../../testing/harness.js';

/**
 * The demo business with booking on at its location: cleaning (60 min, $150), emergency (urgent) and a free
 * consultation (30 min), Mon–Fri 08:00–17:00 in Chicago, one chair. For the self-booking page's tests.
 */
export function bookingBusiness(patch: (c: BusinessConfigInput) => void = () => {}): BusinessConfigInput {
  return testBusiness((c) => {
    c.booking = {
      services: [
        { id: 'cleaning', label: 'Cleaning', synonyms: ['clean', 'hygiene'], minutes: 60, value: 150 },
        { id: 'emergency', label: 'Pain or emergency', synonyms: ['pain', 'emergency'], minutes: 30, value: 0, urgent: true },
        { id: 'consultation', label: 'Consultation', synonyms: ['consult'], minutes: 30, value: 0 },
      ],
      questions: [],
      linkHours: 72,
    };
    const day: [string, string][] = [['08:00', '17:00']];
    c.locations[0]!.booking = {
      assistant: 'never',
      calendar: { type: 'built-in' },
      schedule: { hours: { mon: day, tue: day, wed: day, thu: day, fri: day }, minNoticeMinutes: 60, horizonDays: 21 },
    };
    patch(c);
  });
}
