/** Satisfaction ("Hài lòng"): the share of "Rất hài lòng" by officer, by channel and by week, for supervisors. */

import { el } from '../../http/browser/safe-dom.ts';
import type { SatisfactionRow, SatisfactionStats } from '../console-wire.ts';
import { failed, type Api } from './api.ts';
import { channelName, formatCount, isObject, PERCENT } from './format.ts';
import { ui } from './page.ts';
import { agentName, type ConsoleState } from './state.ts';

export type StatsPanel = ReturnType<typeof createStats>;

export function createStats(state: ConsoleState, api: Api) {
  async function load(): Promise<void> {
    ui.statsBody.replaceChildren(el('p', { class: 'loading' }, ['Đang tải số liệu…']));
    const r = await api<SatisfactionStats>('GET', '/agent/api/stats/satisfaction');
    if (!r.ok || r.data === null) {
      ui.statsBody.replaceChildren();
      return failed(r, 'Không tải được số liệu hài lòng.');
    }
    const stats = r.data;
    ui.statsBody.replaceChildren(
      statsTable('Theo cán bộ', 'Cán bộ', stats.byAgent, (label) => agentName(state, label)),
      statsTable('Theo kênh', 'Kênh', stats.byChannel, channelName),
      statsTable('Theo tuần', 'Tuần', stats.byWeek, (label) => label),
    );
  }

  function reset(): void {
    ui.statsBody.replaceChildren();
  }

  return { load, reset };
}

function statsTable(
  caption: string,
  first: string,
  rows: SatisfactionRow[] | undefined,
  label: (raw: string) => string,
): HTMLTableElement {
  const head = el('tr', {}, [
    el('th', { scope: 'col' }, [first]),
    el('th', { scope: 'col', class: 'num' }, ['Số lượt đánh giá']),
    el('th', { scope: 'col', class: 'num' }, ['Rất hài lòng']),
    el('th', { scope: 'col', class: 'num' }, ['Tỷ lệ rất hài lòng']),
  ]);
  const list = Array.isArray(rows) ? rows.filter(isObject) : [];
  const body =
    list.length > 0
      ? list.map((row) =>
          el('tr', {}, [
            el('th', { scope: 'row' }, [label(String(row.label))]),
            el('td', { class: 'num' }, [formatCount(row.total)]),
            el('td', { class: 'num' }, [formatCount(row.veryGood)]),
            el('td', { class: 'num' }, [Number.isFinite(row.share) ? PERCENT.format(row.share) : '—']),
          ]),
        )
      : [el('tr', {}, [el('td', { colspan: '4' }, ['Chưa có đánh giá.'])])];
  return el('table', {}, [el('caption', {}, [caption]), el('thead', {}, [head]), el('tbody', {}, body)]);
}
