import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  conversationsOf,
  deleteConversations,
  exportConversations,
  type CitizenQuery,
} from '../records/citizen-data.ts';
import type { RecordsDb } from '../records/records-database.ts';
import { dashboard, type DashboardData, type ReportRange } from '../records/records-reports.ts';
import { ReportLabels } from '../records/report-labels.ts';
import { monthlyReportPage } from '../records/monthly-report.ts';
import { transcriptPage } from '../records/transcript-page.ts';
import { Errors } from '../shared/errors.ts';
import { vietnamDate, vietnamMidnight as vnMidnight } from '../shared/vietnam-time.ts';
import { supervisorOf } from './console-auth.ts';
import type { ConsoleAudit } from './agent-console.ts';

export interface RecordsApiDeps {
  db: RecordsDb;
  labels: ReportLabels;
  /** A procedure's short name, for the tables. */
  shortName: (code: string) => string;
  /** Removes a conversation from the hot store (state, transcript, queue, callbacks, surveys, followed dossiers). */
  forget: (conversation: string) => Promise<void>;
  audit: ConsoleAudit;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/u;
const RangeQuery = z.object({
  from: z.string().regex(DAY).optional(),
  to: z.string().regex(DAY).optional(),
  channel: z.enum(['webchat', 'facebook', 'zalo']).optional(),
});

const CitizenBody = z.discriminatedUnion('by', [
  z.object({ by: z.literal('conversation'), conversation: z.string().min(3).max(200) }),
  z.object({ by: z.literal('phone'), phone: z.string().min(9).max(20) }),
  z.object({ by: z.literal('channel_user'), channel: z.string().min(1).max(20), user: z.string().min(1).max(200) }),
]);

/** The range asked for, by default the last 30 days up to today (Vietnam days). */
function rangeOf(query: unknown, now = Date.now()): ReportRange & { fromDay: string; toDay: string } {
  const q = RangeQuery.safeParse(query);
  if (!q.success) throw Errors.agentBadBody('from/to must be YYYY-MM-DD; channel one of webchat, facebook, zalo');
  const toDay = q.data.to ?? vietnamDate(new Date(now));
  const fromDay = q.data.from ?? vietnamDate(new Date(vnMidnight(toDay).getTime() - 29 * 86_400_000));
  const from = vnMidnight(fromDay);
  const to = new Date(vnMidnight(toDay).getTime() + 86_400_000);
  if (!(from < to)) throw Errors.agentBadBody('from must not be after to');
  return { from, to, channel: q.data.channel ?? null, fromDay, toDay };
}

/** The tables of the dashboard a CSV can be had of, and their columns. */
const CSV_TABLES: Record<string, (d: DashboardData, deps: RecordsApiDeps) => (string | number)[][]> = {
  'per-day': (d) => [
    ['ngay', 'kenh', 'so_cuoc_tro_chuyen'],
    ...d.perDay.map((r) => [r.day, r.channel, r.conversations]),
  ],
  outcomes: (d) => [['ket_qua', 'so_luot'], ...d.outcomes.map((r) => [r.outcome, r.turns])],
  procedures: (d, deps) => [
    ['ma_thu_tuc', 'ten_ngan', 'so_luot'],
    ...d.procedures.map((r) => [r.procedure, deps.shortName(r.procedure), r.turns]),
  ],
  intents: (d) => [['y_dinh', 'so_luot'], ...d.intents.map((r) => [r.intent, r.turns])],
  unanswered: (d) => [
    ['thoi_gian', 'kenh', 'loai', 'cau_hoi', 'cuoc_tro_chuyen'],
    ...d.unanswered.map((r) => [r.at, r.channel, r.did, r.text, r.conversation]),
  ],
  ratings: (d) => [['danh_gia', 'so_luot'], ...d.ratings.map((r) => [r.rating, r.answers])],
  comments: (d) => [
    ['thoi_gian', 'danh_gia', 'y_kien', 'can_bo', 'cuoc_tro_chuyen'],
    ...d.comments.map((r) => [r.at, r.rating, r.comment, r.agent, r.conversation]),
  ],
};

/** RFC 4180 fields; a leading =, +, - or @ is quoted out so a spreadsheet never runs a citizen's text as a formula. */
function csv(rows: (string | number)[][]): string {
  const field = (v: string | number): string => {
    let s = String(v);
    if (/^[=+\-@]/u.test(s)) s = `'${s}`;
    return /[",\r\n]/u.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `\ufeff${rows.map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}

/**
 * The supervisors' records: the dashboard's figures, their CSV, the monthly report page, and a
 * citizen's data (export and erasure, audited). Mounted under the console's authenticated /agent/api.
 */
export function recordsApi(deps: RecordsApiDeps): Router {
  const router = express.Router();
  router.get('/agent/api/records/dashboard', async (req: Request, res: Response) => {
    supervisorOf(res);
    const range = rangeOf(req.query);
    const data = await dashboard(deps.db, range);
    res.json({
      range: { from: range.fromDay, to: range.toDay, channel: range.channel },
      data: { ...data, procedures: data.procedures.map((p) => ({ ...p, name: deps.shortName(p.procedure) })) },
      labels: deps.labels,
    });
  });
  router.get('/agent/api/records/csv/:table', async (req: Request, res: Response) => {
    supervisorOf(res);
    const table = CSV_TABLES[String(req.params.table)];
    if (table === undefined) throw Errors.agentBadBody(`no such table; one of ${Object.keys(CSV_TABLES).join(', ')}`);
    const range = rangeOf(req.query);
    const rows = table(await dashboard(deps.db, range), deps);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${req.params.table}-${range.fromDay}-${range.toDay}.csv"`,
    );
    res.type('text/csv; charset=utf-8').send(csv(rows));
  });
  router.get('/agent/api/records/report', async (req: Request, res: Response) => {
    supervisorOf(res);
    const month = z
      .string()
      .regex(/^\d{4}-\d{2}$/u)
      .safeParse(req.query.month ?? vietnamDate(new Date()).slice(0, 7));
    if (!month.success) throw Errors.agentBadBody('month must be YYYY-MM');
    const [y, m] = month.data.split('-').map(Number) as [number, number];
    const fromDay = `${month.data}-01`;
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    const data = await dashboard(deps.db, { from: vnMidnight(fromDay), to: vnMidnight(next), channel: null });
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    res.type('html').send(monthlyReportPage(month.data, data, deps.labels, deps.shortName));
  });
  router.get('/agent/api/records/transcript', async (req: Request, res: Response) => {
    const { agent } = supervisorOf(res);
    const conversation = z.string().min(3).max(200).safeParse(req.query.conversation);
    if (!conversation.success) throw Errors.agentBadBody('conversation is required');
    const page = await transcriptPage(deps.db, conversation.data);
    deps.audit(agent, 'records.transcript_viewed', { conversation: conversation.data });
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.status(page === null ? 404 : 200).type('html');
    res.send(page ?? '<!doctype html><meta charset="utf-8"><p>Không còn bản ghi của cuộc trò chuyện này.</p>');
  });
  router.post('/agent/api/records/citizen/export', async (req: Request, res: Response) => {
    const { agent } = supervisorOf(res);
    const query = citizenQuery(req.body);
    const keys = await conversationsOf(deps.db, query);
    deps.audit(agent, 'citizen.export', { by: query.by, conversations: keys.length });
    res.setHeader('Content-Disposition', 'attachment; filename="du-lieu-cong-dan.json"');
    res.json({ query: query.by, conversations: keys, records: await exportConversations(deps.db, keys) });
  });
  router.post('/agent/api/records/citizen/delete', async (req: Request, res: Response) => {
    const { agent } = supervisorOf(res);
    const query = citizenQuery(req.body);
    const keys = await conversationsOf(deps.db, query);
    // The named conversation is erased from the hot store even if the records have not seen it yet.
    const all =
      query.by === 'conversation' && !keys.includes(query.conversation) ? [...keys, query.conversation] : keys;
    for (const key of all) await deps.forget(key);
    const rows = await deleteConversations(deps.db, all);
    deps.audit(agent, 'citizen.delete', { by: query.by, conversations: all.length, rows });
    res.json({ conversations: all.length, rows });
  });
  return router;
}

function citizenQuery(body: unknown): CitizenQuery {
  const parsed = CitizenBody.safeParse(body);
  if (!parsed.success)
    throw Errors.agentBadBody('by: conversation (conversation), phone (phone) or channel_user (channel, user)');
  return parsed.data;
}
