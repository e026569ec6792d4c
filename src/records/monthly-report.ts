import type { DashboardData } from './records-reports.ts';
import { esc } from './html-text.ts';
import { labelOf, type ReportLabels } from './report-labels.ts';

const count = (n: number): string => new Intl.NumberFormat('vi-VN').format(n);
const percent = (part: number, whole: number): string =>
  whole === 0 ? '—' : `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format((100 * part) / whole)}%`;
const minutes = (s: number | null): string =>
  s === null
    ? '—'
    : s < 60
      ? `${count(s)} giây`
      : `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(s / 60)} phút`;

/**
 * The monthly report a director prints (browser print to PDF, A4): the figures the center reports
 * publicly, from the records, each with how it was counted written under it.
 */
export function monthlyReportPage(
  month: string,
  d: DashboardData,
  labels: ReportLabels,
  shortName: (code: string) => string,
): string {
  const [year, mm] = month.split('-');
  const byChannel = new Map<string, number>();
  for (const row of d.perDay) byChannel.set(row.channel, (byChannel.get(row.channel) ?? 0) + row.conversations);
  const conversations = [...byChannel.values()].reduce((a, b) => a + b, 0);
  const turns = d.outcomes.reduce((a, o) => a + o.turns, 0);
  const answered = d.outcomes.find((o) => o.outcome === 'answered')?.turns ?? 0;
  const rated = d.ratings.reduce((a, r) => a + r.answers, 0);
  const veryGood = d.ratings.find((r) => r.rating === 'very_good')?.answers ?? 0;
  const satisfied = veryGood + (d.ratings.find((r) => r.rating === 'good')?.answers ?? 0);
  const figure = (label: string, value: string, method: string) =>
    `<section class="figure"><h2>${esc(label)}</h2><p class="value">${esc(value)}</p><p class="method">Cách tính: ${esc(method)}</p></section>`;
  const rows = (items: [string, string][]) =>
    items.map(([a, b]) => `<tr><td>${esc(a)}</td><td class="num">${esc(b)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Báo cáo tháng ${esc(mm)}/${esc(year)}</title>
<style>
@page { size: A4; margin: 18mm 16mm; }
body { font: 11pt/1.45 "Times New Roman", serif; color: #000; max-width: 178mm; margin: 0 auto; }
header { text-align: center; margin-bottom: 8mm; }
header p { margin: 0; }
h1 { font-size: 15pt; margin: 6mm 0 2mm; text-transform: uppercase; }
h2 { font-size: 12pt; margin: 0 0 1mm; }
.figure { border-bottom: 1px solid #999; padding: 3mm 0; break-inside: avoid; }
.value { font-size: 16pt; font-weight: bold; margin: 0; }
.method { font-size: 9.5pt; color: #333; margin: 1mm 0 0; font-style: italic; }
table { width: 100%; border-collapse: collapse; margin-top: 2mm; }
td, th { border: 1px solid #999; padding: 1mm 2mm; text-align: left; }
.num { text-align: right; white-space: nowrap; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; }
footer { margin-top: 8mm; font-size: 9.5pt; }
@media screen { body { padding: 10mm; background: #fff; } }
</style></head><body>
<header><p>UBND TỈNH KHÁNH HÒA</p><p><strong>TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG</strong></p>
<h1>Báo cáo hỗ trợ trực tuyến tháng ${esc(mm)}/${esc(year)}</h1>
<p>Qua hộp trò chuyện trên trang web, fanpage (Messenger) và Zalo OA</p></header>
${figure('Số lượt công dân được hỗ trợ trực tuyến', `${count(conversations)} cuộc trò chuyện`, 'số cuộc trò chuyện bắt đầu trong tháng (theo giờ Việt Nam) có ít nhất một tin nhắn, trên cả ba kênh.')}
<div class="cols"><table><thead><tr><th>Kênh</th><th class="num">Cuộc trò chuyện</th></tr></thead><tbody>${rows(
    [...byChannel].map(([c, n]) => [labelOf(labels.channels, c), count(n)]),
  )}</tbody></table>
<table><thead><tr><th>Kết quả câu trả lời</th><th class="num">Tỷ lệ</th></tr></thead><tbody>${rows(
    d.outcomes.map((o) => [labelOf(labels.outcomes, o.outcome), percent(o.turns, turns)]),
  )}</tbody></table></div>
${figure('Tỷ lệ câu hỏi được trợ lý trả lời ngay', percent(answered, turns), `số lượt hỏi được trả lời trực tiếp chia cho tổng số ${count(turns)} lượt hỏi trong tháng; các lượt phải đưa lựa chọn, không tìm thấy hoặc chuyển cán bộ không tính là trả lời ngay.`)}
${figure('Mức độ hài lòng', rated === 0 ? 'Chưa có đánh giá' : `${percent(satisfied, rated)} hài lòng, trong đó ${percent(veryGood, rated)} rất hài lòng`, `trên ${count(rated)} lượt đánh giá công dân gửi sau khi cán bộ hỗ trợ; "hài lòng" gồm "Rất hài lòng" và "Hài lòng".`)}
${figure('Chờ gặp cán bộ', `${count(d.handoffs.queued)} lượt; chờ trung vị ${minutes(d.handoffs.waitP50s)}, 9/10 lượt dưới ${minutes(d.handoffs.waitP90s)}`, 'thời gian từ khi công dân xin gặp cán bộ đến khi một cán bộ nhận cuộc trò chuyện, chỉ tính các lượt đã được nhận.')}
${figure('Phản ánh, khiếu nại', `${count(d.complaints)} lượt`, 'số lượt tin nhắn được hiểu là phản ánh hoặc khiếu nại trong tháng.')}
${figure('Hẹn gọi lại', `${count(d.callbacks.done)} đã gọi, ${count(d.callbacks.open)} đang chờ, ${count(d.callbacks.overdue)} quá hẹn`, 'yêu cầu gọi lại công dân để lại ngoài giờ làm việc hoặc khi không có cán bộ trực, tạo trong tháng.')}
<section class="figure"><h2>Thủ tục được hỏi nhiều nhất</h2><table><thead><tr><th>Thủ tục</th><th class="num">Lượt hỏi</th></tr></thead><tbody>${rows(
    d.procedures.slice(0, 10).map((p) => [shortName(p.procedure), count(p.turns)]),
  )}</tbody></table><p class="method">Cách tính: số lượt hỏi nêu (hoặc tiếp tục hỏi về) thủ tục đó, theo Cơ sở dữ liệu quốc gia về thủ tục hành chính.</p></section>
<footer>Số liệu lấy tự động từ hệ thống ghi nhận của trợ lý; không chứa thông tin cá nhân của công dân.</footer>
</body></html>`;
}
