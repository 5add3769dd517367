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
    },
  ],
  textBack: { dedupeMinutes: 30, maxWaitSeconds: 120, quietHours: null },
  keywords: { HOURS: 'We are open Mon-Fri 7am-10pm and Sat 9am-5pm.' },
  sla: { claimMinutes: 5 },
  urgency: { industry: 'dental', words: [] },
};
