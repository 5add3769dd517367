import { z } from 'zod';

/**
 * Plivo webhook bodies (form fields). Plivo adds fields over time, so unknown fields pass through;
 * the ones the relay acts on are required and checked.
 */
const callFields = {
  CallUUID: z.string().min(1),
  From: z.string(),
  To: z.string().min(1),
  Direction: z.string().optional(),
  CallStatus: z.string().optional(),
  CallerName: z.string().optional(),
};

export const voiceAnswerSchema = z.looseObject({ ...callFields });
export type VoiceAnswer = z.infer<typeof voiceAnswerSchema>;

export const dialStatuses = ['completed', 'busy', 'failed', 'timeout', 'no-answer'] as const;
export const voiceDialSchema = z.looseObject({
  ...callFields,
  DialStatus: z.enum(dialStatuses),
  DialBLegUUID: z.string().optional(),
  DialHangupCause: z.string().optional(),
});
export type VoiceDial = z.infer<typeof voiceDialSchema>;

export const voiceHangupSchema = z.looseObject({
  ...callFields,
  HangupCause: z.string().optional(),
  Duration: z.string().optional(),
  EndTime: z.string().optional(),
});
export type VoiceHangup = z.infer<typeof voiceHangupSchema>;

export const voiceRecordingSchema = z.looseObject({
  ...callFields,
  RecordUrl: z.url(),
  RecordingDuration: z.coerce.number().int().min(0),
  RecordingID: z.string().optional(),
});
export type VoiceRecording = z.infer<typeof voiceRecordingSchema>;

export const smsInboundSchema = z.looseObject({
  MessageUUID: z.string().min(1),
  From: z.string().min(1),
  To: z.string().min(1),
  Text: z.string().default(''),
  Type: z.string().optional(),
  MessageIntent: z.string().optional(),
});
export type SmsInbound = z.infer<typeof smsInboundSchema>;

export const smsStatuses = ['queued', 'sent', 'failed', 'delivered', 'undelivered', 'rejected', 'read'] as const;
export type SmsStatus = (typeof smsStatuses)[number];
export const smsStatusSchema = z.looseObject({
  MessageUUID: z.string().min(1),
  Status: z.enum(smsStatuses),
  ErrorCode: z.string().optional(),
  Sequence: z.coerce.number().int().optional(),
  To: z.string().optional(),
  From: z.string().optional(),
});
export type SmsStatusReport = z.infer<typeof smsStatusSchema>;
