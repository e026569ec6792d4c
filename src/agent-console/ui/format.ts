/** Words and formats the console shows, and the checks on what the server sent. */

import { el } from '../../http/browser/safe-dom.ts';
import type { AgentInfo, AgentRole, ConsoleEntry, Speaker } from '../console-wire.ts';

const TIME = new Intl.DateTimeFormat('vi-VN', { hour: '2-digit', minute: '2-digit' });
const DATE_TIME = new Intl.DateTimeFormat('vi-VN', {
  hour: '2-digit',
  minute: '2-digit',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const DAY = new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric' });
export const PERCENT = new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 1 });
const NUMBER = new Intl.NumberFormat('vi-VN');
export const BY_NAME = new Intl.Collator('vi');

// ---- words and formats ----

export function channelName(channel: string): string {
  if (channel === 'webchat') return 'Web';
  if (channel === 'facebook' || channel === 'messenger') return 'Messenger';
  if (channel === 'zalo') return 'Zalo';
  return String(channel ?? '');
}

export function queueName(q: string): string {
  return q === 'supervisors' ? 'Giám sát viên' : 'Cán bộ';
}

export function roleName(role: AgentRole): string {
  return role === 'supervisor' ? 'Giám sát viên' : 'Cán bộ hỗ trợ';
}

export function reasonName(reason: string): string {
  if (reason === 'complaint') return 'Khiếu nại';
  if (reason === 'failed_turns') return 'Trợ lý không trả lời được';
  return 'Người dân muốn gặp cán bộ';
}

export function speakerClass(from: string): Speaker {
  return from === 'citizen' || from === 'agent' ? from : 'bot';
}

export function speakerName(from: string): string {
  if (from === 'citizen') return 'Người dân';
  if (from === 'agent') return 'Cán bộ';
  return 'Trợ lý';
}

export function timeOf(iso: string | null | undefined): number {
  const t = iso === null || iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(t) ? t : 0;
}

/** "vừa xong", "N phút", "N giờ M phút". */
export function formatWait(since: string): string {
  const minutes = Math.floor(Math.max(0, Date.now() - timeOf(since)) / 60_000);
  if (minutes < 1) return 'vừa xong';
  if (minutes < 60) return `${minutes} phút`;
  return `${Math.floor(minutes / 60)} giờ ${minutes % 60} phút`;
}

/** The time of day, with the date when it is not today. */
export function formatTime(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '';
  const date = new Date(t);
  return DAY.format(date) === DAY.format(new Date()) ? TIME.format(date) : DATE_TIME.format(date);
}

export function timeElement(iso: string): HTMLElement {
  return el('time', Number.isFinite(Date.parse(iso)) ? { datetime: iso } : {}, [formatTime(iso)]);
}

export function clip(text: string, max: number): string {
  const oneLine = String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

export function formatCount(n: number): string {
  return Number.isFinite(n) ? NUMBER.format(n) : '—';
}

/** Retry-After in seconds (or, by HTTP, a date), as whole minutes rounded up. */
export function retryMinutes(header: string | null): number {
  if (header === null) return 1;
  const value = header.trim();
  const seconds = /^\d+$/.test(value) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  if (!Number.isFinite(seconds) || seconds <= 0) return 1;
  return Math.max(1, Math.ceil(seconds / 60));
}

// ---- checks on what the server sent ----

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isEntry(value: unknown): value is ConsoleEntry {
  return (
    isObject(value) && typeof value.seq === 'number' && typeof value.text === 'string' && typeof value.from === 'string'
  );
}

export function isAgent(value: unknown): value is AgentInfo {
  return isObject(value) && typeof value.username === 'string' && typeof value.displayName === 'string';
}
