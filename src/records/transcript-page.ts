import type { RecordsDb } from './records-database.ts';
import { esc } from './html-text.ts';

const SPEAKER: Record<string, string> = { citizen: 'Người dân', bot: 'Trợ lý', agent: 'Cán bộ' };

/**
 * One conversation's transcript as the records keep it, for a supervisor answering a complaint a month
 * later: a plain page, every text escaped, times in Vietnam's time. Null when the records hold nothing
 * of it (never seen, purged or erased).
 */
export async function transcriptPage(db: RecordsDb, conversation: string): Promise<string | null> {
  const lines = await db
    .selectFrom('transcript_entries')
    .select(['seq', 'at', 'speaker', 'text', 'agent'])
    .where('conversation', '=', conversation)
    .orderBy('seq')
    .execute();
  if (lines.length === 0) return null;
  const when = (d: Date) =>
    d.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' });
  const rows = lines
    .map(
      (l) =>
        `<tr><td class="t">${esc(when(new Date(l.at)))}</td><th>${esc(l.agent ?? SPEAKER[l.speaker] ?? l.speaker)}</th><td class="m">${esc(l.text)}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cuộc trò chuyện ${esc(conversation)}</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:900px;margin:16px auto;padding:0 12px}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:6px;text-align:left;vertical-align:top}.t{white-space:nowrap;color:#555}.m{white-space:pre-wrap}</style>
</head><body><h1>Cuộc trò chuyện ${esc(conversation)}</h1><table>${rows}</table></body></html>`;
}
