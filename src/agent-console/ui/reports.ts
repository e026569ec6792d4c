/**
 * "Báo cáo": the supervisors' dashboard over the records (conversations per day by channel, how
 * turns ended, the procedures and questions asked, waits for a person, satisfaction, callbacks,
 * complaints), each table with its CSV, the monthly report to print, and a citizen's data.
 */

import uPlot from 'uplot';
import { el } from '../../http/browser/safe-dom.ts';
import { vietnamDate, vietnamMidnight } from '../../shared/vietnam-time.ts';
import { failed, type Api } from './api.ts';
import { formatCount, PERCENT } from './format.ts';
import { showAlert, ui } from './page.ts';

interface Row {
  [key: string]: string | number;
}
interface Dashboard {
  range: { from: string; to: string; channel: string | null };
  data: {
    perDay: { day: string; channel: string; conversations: number }[];
    outcomes: { outcome: string; turns: number }[];
    procedures: { procedure: string; name: string; turns: number }[];
    intents: { intent: string; turns: number }[];
    unanswered: { at: string; channel: string; did: string; text: string; conversation: string }[];
    handoffs: Record<string, number | null>;
    ratings: { rating: string; answers: number }[];
    comments: { at: string; rating: string; comment: string; conversation: string; agent: string }[];
    callbacks: { open: number; overdue: number; done: number };
    complaints: number;
    totals: { conversations: number; turns: number };
  };
  labels: Record<'channels' | 'outcomes' | 'intents' | 'ratings' | 'did', Record<string, string>>;
}

const CHANNEL_COLOURS: Record<string, string> = { webchat: '#1a5fb4', facebook: '#7b2cbf', zalo: '#0a7d39' };
const ONE_DECIMAL = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
const seconds = (s: number | null | undefined): string =>
  s === null || s === undefined ? '—' : s < 60 ? `${s} giây` : `${ONE_DECIMAL.format(s / 60)} phút`;
/** A day on the chart's axis as Vietnamese write it: day/month. */
const dayMonth = (ts: number): string => {
  const [, month, day] = vietnamDate(new Date(ts * 1000))
    .split('-')
    .map(Number);
  return `${day}/${month}`;
};
const label = (labels: Record<string, string>, code: string): string => labels[code] ?? code;
const time = (iso: string): string =>
  new Date(iso).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' });

export type ReportsPanel = ReturnType<typeof createReports>;

export function createReports(api: Api) {
  let chart: uPlot | null = null;

  function query(): string {
    const params = new URLSearchParams({ from: ui.reportsFrom.value, to: ui.reportsTo.value });
    if (ui.reportsChannel.value !== '') params.set('channel', ui.reportsChannel.value);
    return params.toString();
  }

  async function load(): Promise<void> {
    if (ui.reportsTo.value === '') {
      const today = new Date();
      ui.reportsTo.value = vietnamDate(today);
      ui.reportsFrom.value = vietnamDate(new Date(today.getTime() - 29 * 86_400_000));
    }
    ui.reportsPrint.href = `/agent/api/records/report?month=${encodeURIComponent(ui.reportsTo.value.slice(0, 7))}`;
    ui.reportsBody.replaceChildren(el('p', { class: 'loading' }, ['Đang tải báo cáo…']));
    const r = await api<Dashboard>('GET', `/agent/api/records/dashboard?${query()}`);
    if (!r.ok || r.data === null) {
      ui.reportsBody.replaceChildren();
      return failed(r, 'Không tải được báo cáo.');
    }
    render(r.data);
  }

  function render({ data: d, labels }: Dashboard): void {
    const turns = d.totals.turns;
    const answered = d.outcomes.find((o) => o.outcome === 'answered')?.turns ?? 0;
    const rated = d.ratings.reduce((a, x) => a + x.answers, 0);
    const veryGood = d.ratings.find((x) => x.rating === 'very_good')?.answers ?? 0;
    const share = (part: number, whole: number) => (whole === 0 ? '—' : PERCENT.format(part / whole));
    const cards = el('div', { class: 'cards' }, [
      card('Cuộc trò chuyện', formatCount(d.totals.conversations), `${formatCount(turns)} lượt hỏi`),
      card('Trả lời ngay', share(answered, turns), 'trên tổng số lượt hỏi'),
      card(
        'Chờ gặp cán bộ',
        seconds(d.handoffs.waitP50s),
        `9/10 dưới ${seconds(d.handoffs.waitP90s)}; ${formatCount(d.handoffs.queued ?? 0)} lượt`,
      ),
      card(
        'Phản hồi đầu tiên',
        seconds(d.handoffs.firstResponseP50s),
        `9/10 dưới ${seconds(d.handoffs.firstResponseP90s)}`,
      ),
      card('Rất hài lòng', share(veryGood, rated), `${formatCount(rated)} lượt đánh giá`),
      card(
        'Hẹn gọi lại',
        formatCount(d.callbacks.open + d.callbacks.overdue),
        `${formatCount(d.callbacks.overdue)} quá hẹn, ${formatCount(d.callbacks.done)} đã gọi`,
        d.callbacks.overdue > 0,
      ),
      card('Phản ánh, khiếu nại', formatCount(d.complaints), 'lượt'),
    ]);
    const plot = el('figure', { class: 'chart' }, [el('figcaption', {}, ['Số cuộc trò chuyện mỗi ngày, theo kênh'])]);
    ui.reportsBody.replaceChildren(
      cards,
      plot,
      el('div', { class: 'report-grid' }, [
        barTable(
          'Kết quả các lượt hỏi',
          'outcomes',
          d.outcomes.map((o) => [label(labels.outcomes, o.outcome), o.turns]),
        ),
        barTable(
          'Điều người dân hỏi',
          'intents',
          d.intents.map((i) => [label(labels.intents, i.intent), i.turns]),
        ),
        barTable(
          'Thủ tục được hỏi nhiều nhất',
          'procedures',
          d.procedures.map((p) => [p.name, p.turns]),
        ),
        barTable(
          'Mức độ hài lòng',
          'ratings',
          // Best first, in the survey's own order.
          Object.keys(labels.ratings)
            .map((r): [string, number] => [
              label(labels.ratings, r),
              d.ratings.find((x) => x.rating === r)?.answers ?? 0,
            ])
            .filter(([, n]) => n > 0),
        ),
      ]),
      listTable(
        'Ý kiến của người dân',
        'comments',
        ['Thời gian', 'Đánh giá', 'Ý kiến', 'Cán bộ', 'Cuộc trò chuyện'],
        d.comments.map((c) => [
          time(c.at),
          label(labels.ratings, c.rating),
          c.comment,
          c.agent,
          transcriptLink(c.conversation),
        ]),
      ),
      listTable(
        'Câu hỏi trợ lý chưa trả lời được',
        'unanswered',
        ['Thời gian', 'Kênh', 'Vì sao', 'Câu hỏi'],
        d.unanswered.map((u) => [time(u.at), label(labels.channels, u.channel), label(labels.did, u.did), u.text]),
      ),
    );
    drawChart(plot, d.perDay, labels.channels);
  }

  function drawChart(target: HTMLElement, perDay: Dashboard['data']['perDay'], channels: Record<string, string>): void {
    chart?.destroy();
    const days = [...new Set(perDay.map((p) => p.day))].sort();
    const names = [...new Set(perDay.map((p) => p.channel))].sort();
    const xs = days.map((d) => vietnamMidnight(d).getTime() / 1000);
    const series = names.map((c) =>
      days.map((d) => perDay.find((p) => p.day === d && p.channel === c)?.conversations ?? 0),
    );
    const width = Math.max(280, Math.min(960, target.clientWidth || 600));
    chart = new uPlot(
      {
        width,
        height: 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Asia/Ho_Chi_Minh'),
        series: [
          { label: 'Ngày', value: (_u, ts) => dayMonth(ts) },
          ...names.map((c) => ({ label: label(channels, c), stroke: CHANNEL_COLOURS[c] ?? '#444', width: 2 })),
        ],
        axes: [{ values: (_u, ticks) => ticks.map(dayMonth) }, { label: 'Cuộc trò chuyện' }],
        legend: { live: false },
      },
      [xs, ...series],
      target,
    );
  }

  function card(title: string, value: string, note: string, warn = false): HTMLElement {
    return el('div', { class: warn ? 'card warn' : 'card' }, [
      el('p', { class: 'card-title' }, [title]),
      el('p', { class: 'card-value' }, [value]),
      el('p', { class: 'card-note' }, [note]),
    ]);
  }

  function csvLink(table: string): HTMLAnchorElement {
    return el('a', { class: 'csv', href: `/agent/api/records/csv/${table}?${query()}`, download: '' }, ['Tải CSV']);
  }

  function barTable(caption: string, table: string, rows: [string, number][]): HTMLElement {
    const most = Math.max(1, ...rows.map((r) => r[1]));
    const total = rows.reduce((a, r) => a + r[1], 0);
    const body =
      rows.length === 0
        ? [el('tr', {}, [el('td', { colspan: '3' }, ['Chưa có số liệu.'])])]
        : rows.map(([name, n]) => {
            const bar = el('span', { class: 'bar' });
            bar.style.width = `${Math.round((100 * n) / most)}%`;
            return el('tr', {}, [
              el('th', { scope: 'row' }, [name]),
              el('td', { class: 'bar-cell' }, [bar]),
              el('td', { class: 'num' }, [`${formatCount(n)} (${total === 0 ? '—' : PERCENT.format(n / total)})`]),
            ]);
          });
    return el('section', { class: 'report-table' }, [
      el('div', { class: 'table-head' }, [el('h3', {}, [caption]), csvLink(table)]),
      el('table', {}, [el('tbody', {}, body)]),
    ]);
  }

  function listTable(caption: string, name: string, head: string[], rows: (string | Node)[][]): HTMLElement {
    const body =
      rows.length === 0
        ? [el('tr', {}, [el('td', { colspan: String(head.length) }, ['Chưa có.'])])]
        : rows.map((r) =>
            el(
              'tr',
              {},
              r.map((c) => el('td', {}, [c])),
            ),
          );
    const table = el('table', {}, [
      el('thead', {}, [
        el(
          'tr',
          {},
          head.map((h) => el('th', { scope: 'col' }, [h])),
        ),
      ]),
      el('tbody', {}, body),
    ]);
    return el('section', { class: 'report-table wide' }, [
      el('div', { class: 'table-head' }, [el('h3', {}, [caption]), csvLink(name)]),
      // On a phone the table scrolls sideways instead of folding every cell into a tall column.
      el('div', { class: 'scroll-x' }, [table]),
    ]);
  }

  /** The conversation's transcript as the records keep it, in a new tab. */
  function transcriptLink(conversation: string): HTMLAnchorElement {
    const href = `/agent/api/records/transcript?conversation=${encodeURIComponent(conversation)}`;
    return el('a', { href, target: '_blank', rel: 'noopener' }, ['Xem cuộc trò chuyện']);
  }

  function citizenBody(): Row | null {
    const value = ui.citizenValue.value.trim();
    if (value === '') return null;
    const by = ui.citizenBy.value;
    if (by === 'phone') return { by, phone: value };
    if (by === 'conversation') return { by, conversation: value };
    return { by, channel: ui.citizenChannel.value, user: value };
  }

  async function exportCitizen(): Promise<void> {
    const body = citizenBody();
    if (body === null) return;
    const r = await api<{ conversations: string[] }>('POST', '/agent/api/records/citizen/export', body);
    if (!r.ok || r.data === null) return failed(r, 'Không xuất được dữ liệu.');
    const file = new Blob([JSON.stringify(r.data, null, 2)], { type: 'application/json' });
    const link = el('a', { href: URL.createObjectURL(file), download: 'du-lieu-nguoi-dan.json' });
    link.click();
    URL.revokeObjectURL(link.href);
    ui.citizenResult.textContent = `Đã xuất dữ liệu của ${formatCount(r.data.conversations.length)} cuộc trò chuyện.`;
  }

  async function deleteCitizen(): Promise<void> {
    const body = citizenBody();
    if (body === null) return showAlert('Xin nhập số điện thoại, mã cuộc trò chuyện hoặc mã người dùng.');
    if (
      !window.confirm(
        'Xóa vĩnh viễn mọi dữ liệu của người dân này (tin nhắn, số điện thoại, đánh giá)? Không thể hoàn tác.',
      )
    )
      return;
    const r = await api<{ conversations: number; rows: number }>('POST', '/agent/api/records/citizen/delete', body);
    if (!r.ok || r.data === null) return failed(r, 'Không xóa được dữ liệu.');
    ui.citizenResult.textContent = `Đã xóa ${formatCount(r.data.conversations)} cuộc trò chuyện (${formatCount(r.data.rows)} bản ghi).`;
  }

  function reset(): void {
    chart?.destroy();
    chart = null;
    ui.reportsBody.replaceChildren();
    ui.citizenResult.textContent = '';
  }

  function wire(): void {
    ui.reportsForm.addEventListener('submit', (e) => {
      e.preventDefault();
      void load();
    });
    ui.citizenForm.addEventListener('submit', (e) => {
      e.preventDefault();
      void exportCitizen();
    });
    ui.citizenDelete.addEventListener('click', () => void deleteCitizen());
  }

  return { load, reset, wire };
}
