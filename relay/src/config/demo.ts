import type { BusinessConfigInput } from '@ringback/shared';

/** The business `npm start` opens when no configuration file is given: a dental office on the sandbox line. */
export const demoConfig: BusinessConfigInput = {
  business: {
    name: 'Bright Smile Dental',
    bookingUrl: 'https://example.com/book',
    averageValue: 350,
    monthlyCost: 99,
  },
  locations: [
    {
      id: 'main',
      name: 'Main St',
      timezone: 'America/Chicago',
      numbers: ['+15125550100'],
      ring: ['+15125550199'],
      ringSeconds: 20,
      // Long demo hours so the desk "rings" whenever someone tries the demo; real offices set their own.
      hours: {
        mon: [['07:00', '22:00']],
        tue: [['07:00', '12:00'], ['13:00', '22:00']],
        wed: [['07:00', '22:00']],
        thu: [['07:00', '22:00']],
        fri: [['07:00', '22:00']],
        sat: [['09:00', '17:00']],
      },
      templates: {
        missed: 'Hi {{firstName|there}}, sorry we missed your call at {{business}}. Reply here or book: {{bookingUrl}}',
        afterHours: "Hi {{firstName|there}}, {{business}} is closed right now. Reply here and we'll get back to you first thing, or book: {{bookingUrl}}",
        voicemail: "Hi {{firstName|there}}, thanks for your voicemail to {{business}}. We'll call you back soon, or book: {{bookingUrl}}",
      },
      // The demo's desk hours are long, so an after-hours assistant would stay silent through most demos:
      // here it answers every reply. Real offices usually choose 'after-hours'.
      booking: {
        assistant: 'always',
        calendar: { type: 'built-in' },
        schedule: {
          hours: { mon: [['08:00', '17:00']], tue: [['08:00', '17:00']], wed: [['08:00', '17:00']], thu: [['08:00', '17:00']], fri: [['08:00', '17:00']] },
          capacity: 1,
          stepMinutes: 30,
          minNoticeMinutes: 60,
          horizonDays: 21,
        },
      },
    },
  ],
  booking: {
    services: [
      { id: 'cleaning', label: 'Cleaning', synonyms: ['clean', 'hygiene', 'checkup', 'check-up', 'check up'], minutes: 60, value: 150 },
      { id: 'emergency', label: 'Pain or emergency', synonyms: ['pain', 'toothache', 'emergency', 'broken tooth'], minutes: 30, value: 0, urgent: true },
      { id: 'consultation', label: 'Consultation', synonyms: ['consult', 'whitening', 'braces', 'implant'], minutes: 30, value: 0 },
    ],
    questions: [
      {
        id: 'patient',
        ask: 'Are you a new or an existing patient?',
        options: [
          { id: 'new', label: 'New patient', synonyms: ['first time', 'never been', 'new here'] },
          { id: 'existing', label: 'Existing patient', synonyms: ['been before', 'returning', 'current'] },
        ],
        // Anyone in the practice's contacts has been here before.
        knownForContacts: 'existing',
      },
    ],
    maxTextsWithoutReply: 3,
    offers: 3,
  },
  textBack: { dedupeMinutes: 30, maxWaitSeconds: 120, quietHours: null },
  keywords: { HOURS: 'We are open Mon-Fri 7am-10pm and Sat 9am-5pm.' },
  sla: { claimMinutes: 5 },
  urgency: { industry: 'dental', words: [] },
};
