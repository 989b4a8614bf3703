import { api, type Schemas } from '../../api';
import type { operations } from '../../api/schema';

export type NotificationChannel = Schemas['NotificationChannel'];
export type ChannelKind = NotificationChannel['channel'];
export type ChannelInput =
  operations['putNotificationChannel']['requestBody']['content']['application/json'];

export const CHANNEL_KINDS: readonly ChannelKind[] = ['email', 'telegram'];
export const CHANNELS_QUERY_KEY = ['notification-channels'] as const;

/** `kinds` are prefixes of notification kinds: every routing notification, or all of them. */
export const KIND_PRESETS = {
  routing: ['routing.'],
  all: [],
} as const satisfies Record<string, readonly string[]>;
export type KindPreset = keyof typeof KIND_PRESETS | 'custom';

/** Which offered choice a channel's kinds are; anything else is kept as it is ("custom"). */
export function kindPreset(kinds: readonly string[]): KindPreset {
  if (kinds.length === 0) return 'all';
  if (kinds.length === 1 && kinds[0] === 'routing.') return 'routing';
  return 'custom';
}

/** The server stores a channel once it has an address; before that GET shows the defaults. */
export const isSaved = (channel: NotificationChannel) => channel.target !== '';

const path = (channel: ChannelKind) => `/api/v1/me/notification-channels/${channel}`;

export const channelsApi = {
  list: () => api.request<{ items: NotificationChannel[] }>('/api/v1/me/notification-channels'),
  put: (channel: ChannelKind, body: ChannelInput) =>
    api.request<NotificationChannel>(path(channel), { method: 'PUT', body }),
  remove: (channel: ChannelKind) => api.request<void>(path(channel), { method: 'DELETE' }),
  test: (channel: ChannelKind) =>
    api.request<{ sent: boolean }>(`${path(channel)}/test`, { method: 'POST' }),
};
