import type { ActivityCreate, ActivityKind, RecordRef } from './activitiesApi';

/** What the composer's form holds (dates as epoch milliseconds, lists as text lines). */
export interface ComposerValues {
  subject?: string;
  body?: string;
  direction?: 'in' | 'out';
  outcome?: string;
  durationMin?: number;
  phone?: string;
  recordingUrl?: string;
  startsAt?: number;
  endsAt?: number;
  place?: string;
  videoUrl?: string;
  participants?: number[];
  result?: string;
  dueAt?: number;
  priority?: string;
  assignee?: number;
  checklist?: string;
  to?: string;
  cc?: string;
  templateId?: number;
  mentions?: number[];
}

/** Non-empty trimmed lines (checklist items) or comma/semicolon separated addresses. */
export function splitLines(text: string | undefined): string[] {
  return (text ?? '')
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}
export function splitAddresses(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const blank = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);

/** The API body for a new activity of `kind` on `record` from the composer's values. */
export function toCreateBody(
  kind: ActivityKind,
  record: RecordRef,
  v: ComposerValues,
): ActivityCreate {
  const body: ActivityCreate = { kind, record_type: record.type, record_id: record.id };
  const subject = blank(v.subject);
  const text = blank(v.body);
  if (subject) body.subject = subject;
  if (text) body.body = text;
  if (v.mentions?.length) body.mentions = v.mentions;
  switch (kind) {
    case 'call':
      body.direction = v.direction ?? 'out';
      if (v.outcome) body.outcome = v.outcome;
      if (v.durationMin != null) body.duration_s = Math.round(v.durationMin * 60);
      if (blank(v.phone)) body.phone = blank(v.phone);
      if (blank(v.recordingUrl)) body.recording_url = blank(v.recordingUrl);
      break;
    case 'meeting':
      if (v.startsAt != null) body.starts_at = v.startsAt;
      if (v.endsAt != null) body.ends_at = v.endsAt;
      if (blank(v.place)) body.place = blank(v.place);
      if (blank(v.videoUrl)) body.video_url = blank(v.videoUrl);
      if (v.participants?.length) body.participants = v.participants.map((id) => ({ user_id: id }));
      if (blank(v.result)) body.result = blank(v.result);
      break;
    case 'task':
      if (v.dueAt != null) body.due_at = v.dueAt;
      if (v.priority) body.priority = v.priority;
      if (v.assignee) body.assignee_user_id = v.assignee;
      if (splitLines(v.checklist).length) body.checklist = splitLines(v.checklist);
      break;
    case 'email':
      body.to = splitAddresses(v.to);
      if (splitAddresses(v.cc).length) body.cc = splitAddresses(v.cc);
      if (v.templateId) body.template_id = v.templateId;
      break;
    case 'sms':
      if (blank(v.phone)) body.phone = blank(v.phone);
      if (v.templateId) body.template_id = v.templateId;
      break;
    case 'note':
      break;
  }
  return body;
}

/** "4:05" for 245 seconds, "1:02:03" past an hour. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null) return '';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Maps the API's field names back to the composer's, so field errors land on the right input. */
export const FIELD_OF: Record<string, keyof ComposerValues> = {
  subject: 'subject',
  body: 'body',
  direction: 'direction',
  outcome: 'outcome',
  duration_s: 'durationMin',
  phone: 'phone',
  recording_url: 'recordingUrl',
  starts_at: 'startsAt',
  ends_at: 'endsAt',
  place: 'place',
  video_url: 'videoUrl',
  participants: 'participants',
  result: 'result',
  due_at: 'dueAt',
  priority: 'priority',
  assignee_user_id: 'assignee',
  checklist: 'checklist',
  to: 'to',
  cc: 'cc',
  template_id: 'templateId',
  mentions: 'mentions',
};

/** The composer field an API error field belongs to ("to/1" → "to", "checklist/0/text" → "checklist"). */
export function composerField(apiField: string): keyof ComposerValues | undefined {
  return FIELD_OF[apiField.split('/')[0]];
}
