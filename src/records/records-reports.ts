import { sql } from 'kysely';
import type { RecordsDb } from './records-database.ts';

/** The dashboard's filters: a date range (Vietnam days, inclusive) and one channel or all. */
export interface ReportRange {
  from: Date;
  /** Exclusive: the start of the day after the last one shown. */
  to: Date;
  channel: string | null;
}

export interface DashboardData {
  perDay: { day: string; channel: string; conversations: number }[];
  outcomes: { outcome: string; turns: number }[];
  procedures: { procedure: string; turns: number }[];
  intents: { intent: string; turns: number }[];
  unanswered: { at: string; channel: string; did: string; text: string; conversation: string }[];
  handoffs: {
    queued: number;
    claimed: number;
    cancelled: number;
    waitP50s: number | null;
    waitP90s: number | null;
    firstResponseP50s: number | null;
    firstResponseP90s: number | null;
  };
  ratings: { rating: string; answers: number }[];
  comments: { at: string; rating: string; comment: string; conversation: string; agent: string }[];
  callbacks: { open: number; overdue: number; done: number };
  complaints: number;
  totals: { conversations: number; turns: number };
}

const num = (v: unknown): number => Number(v ?? 0);
const seconds = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v)));
const VN_DAY = sql<string>`to_char(started_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD')`;

/**
 * The dashboard's queries by name, each a single statement over indexed times: the bench times each
 * one on a seeded month, `dashboard` runs them together.
 */
export function dashboardQueries(db: RecordsDb, r: ReportRange) {
  const turns = db
    .selectFrom('turns')
    .where('at', '>=', r.from)
    .where('at', '<', r.to)
    .$if(r.channel !== null, (q) => q.where('channel', '=', r.channel!));
  const queries = {
    perDay: () =>
      db
        .selectFrom('conversations')
        .select([VN_DAY.as('day'), 'channel', (eb) => eb.fn.countAll().as('n')])
        .where('started_at', '>=', r.from)
        .where('started_at', '<', r.to)
        .$if(r.channel !== null, (q) => q.where('channel', '=', r.channel!))
        .groupBy(['day', 'channel'])
        .orderBy('day')
        .execute(),
    outcomes: () =>
      turns
        .select(['outcome', (eb) => eb.fn.countAll().as('n')])
        .groupBy('outcome')
        .orderBy('n', 'desc')
        .execute(),
    procedures: () =>
      turns
        .select(['procedure', (eb) => eb.fn.countAll().as('n')])
        .where('procedure', 'is not', null)
        .groupBy('procedure')
        .orderBy('n', 'desc')
        .limit(15)
        .execute(),
    intents: () =>
      turns
        .select(['intent', (eb) => eb.fn.countAll().as('n')])
        .groupBy('intent')
        .orderBy('n', 'desc')
        .execute(),
    unanswered: () =>
      db
        .selectFrom('unanswered')
        .select(['at', 'channel', 'did', 'text', 'conversation'])
        .where('at', '>=', r.from)
        .where('at', '<', r.to)
        .where('text', '!=', '')
        .$if(r.channel !== null, (q) => q.where('channel', '=', r.channel!))
        .orderBy('at', 'desc')
        .limit(50)
        .execute(),
    handoffs: () =>
      db
        .selectFrom('handoffs')
        .select([
          (eb) => eb.fn.countAll().as('queued'),
          (eb) => eb.fn.count('claimed_at').as('claimed'),
          (eb) => eb.fn.count('cancelled_at').as('cancelled'),
          sql`percentile_cont(0.5) within group (order by extract(epoch from claimed_at - queued_at))`.as('w50'),
          sql`percentile_cont(0.9) within group (order by extract(epoch from claimed_at - queued_at))`.as('w90'),
          sql`percentile_cont(0.5) within group (order by extract(epoch from first_response_at - claimed_at))`.as(
            'f50',
          ),
          sql`percentile_cont(0.9) within group (order by extract(epoch from first_response_at - claimed_at))`.as(
            'f90',
          ),
        ])
        .where('queued_at', '>=', r.from)
        .where('queued_at', '<', r.to)
        .$if(r.channel !== null, (q) => q.where('channel', '=', r.channel!))
        .executeTakeFirstOrThrow(),
    ratings: () =>
      db
        .selectFrom('surveys')
        .select(['rating', (eb) => eb.fn.countAll().as('n')])
        .where('at', '>=', r.from)
        .where('at', '<', r.to)
        .$if(r.channel !== null, (q) => q.where('channel', '=', r.channel!))
        .groupBy('rating')
        .execute(),
    comments: () =>
      db
        .selectFrom('surveys')
        .select(['at', 'rating', 'comment', 'conversation', 'agent'])
        .where('at', '>=', r.from)
        .where('at', '<', r.to)
        .where('comment', 'is not', null)
        .$if(r.channel !== null, (q) => q.where('channel', '=', r.channel!))
        .orderBy('at', 'desc')
        .limit(50)
        .execute(),
    callbacks: () =>
      db
        .selectFrom('callbacks')
        .select([
          sql`count(*) filter (where done_at is null and (due_at is null or due_at >= now()))`.as('open'),
          sql`count(*) filter (where done_at is null and due_at < now())`.as('overdue'),
          sql`count(*) filter (where done_at is not null)`.as('done'),
        ])
        .where('created_at', '>=', r.from)
        .where('created_at', '<', r.to)
        .$if(r.channel !== null, (q) => q.where('channel', '=', r.channel!))
        .executeTakeFirstOrThrow(),
    totals: () =>
      turns
        .select([
          sql`count(distinct conversation)`.as('conversations'),
          (eb) => eb.fn.countAll().as('turns'),
          sql`count(*) filter (where intent = 'complaint')`.as('complaints'),
        ])
        .executeTakeFirstOrThrow(),
  };
  return queries;
}

/**
 * Every figure of the supervisors' dashboard for a range, each from one query over indexed times
 * (the bench measures each on a seeded month). Counts of people's words are never shown: the
 * unanswered questions are already without personal details, comments are the citizen's own.
 */
export async function dashboard(db: RecordsDb, r: ReportRange): Promise<DashboardData> {
  const q = dashboardQueries(db, r);
  const [perDay, outcomes, procedures, intents, unanswered, handoffs, ratings, comments, callbacks, totals] =
    await Promise.all([
      q.perDay(),
      q.outcomes(),
      q.procedures(),
      q.intents(),
      q.unanswered(),
      q.handoffs(),
      q.ratings(),
      q.comments(),
      q.callbacks(),
      q.totals(),
    ]);
  return {
    perDay: perDay.map((d) => ({ day: d.day, channel: d.channel, conversations: num(d.n) })),
    outcomes: outcomes.map((o) => ({ outcome: o.outcome, turns: num(o.n) })),
    procedures: procedures.map((p) => ({ procedure: p.procedure ?? '', turns: num(p.n) })),
    intents: intents.map((i) => ({ intent: i.intent, turns: num(i.n) })),
    unanswered: unanswered.map((u) => ({ ...u, at: new Date(u.at).toISOString() })),
    handoffs: {
      queued: num(handoffs.queued),
      claimed: num(handoffs.claimed),
      cancelled: num(handoffs.cancelled),
      waitP50s: seconds(handoffs.w50),
      waitP90s: seconds(handoffs.w90),
      firstResponseP50s: seconds(handoffs.f50),
      firstResponseP90s: seconds(handoffs.f90),
    },
    ratings: ratings.map((x) => ({ rating: x.rating, answers: num(x.n) })),
    comments: comments.map((c) => ({ ...c, comment: c.comment ?? '', at: new Date(c.at).toISOString() })),
    callbacks: { open: num(callbacks.open), overdue: num(callbacks.overdue), done: num(callbacks.done) },
    complaints: num(totals.complaints),
    totals: { conversations: num(totals.conversations), turns: num(totals.turns) },
  };
}
