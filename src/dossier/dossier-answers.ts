import type { Reply } from '../core/reply.ts';
import type { ReplyTexts } from '../core/reply-texts.ts';
import { isOverdue, maskName, type DossierRecord } from './dossier-record.ts';

/** "2026-11-30" → "30/11/2026", as on the receipt. */
function vietnameseDate(local: string): string {
  const [y, m, d] = local.split('-');
  return `${Number(d)}/${Number(m)}/${y}`;
}

/**
 * What the citizen is told about a dossier, from the one-stop system's record only: the status
 * alone before they proved it is theirs; then the details of that status, an apology and the new
 * date when it is late, and the next steps as buttons.
 */
export class DossierAnswers {
  constructor(
    private readonly texts: ReplyTexts,
    private readonly demo: boolean,
  ) {}

  brief(dossier: DossierRecord): string {
    const brief = this.texts.say('dossier_brief', {
      code: dossier.code,
      procedure: dossier.procedure.name,
      status: this.texts.dossierStatusName(dossier.status),
    });
    return this.demo ? `${brief} ${this.texts.say('dossier_demo')}` : brief;
  }

  full(dossier: DossierRecord, now: Date, heading = this.brief(dossier)): Reply {
    const lines = [heading, this.detail(dossier)];
    const late = isOverdue(dossier, now);
    if (late) {
      lines.push(
        dossier.newDueDate === undefined
          ? this.texts.say('dossier_overdue_no_date', { due: vietnameseDate(dossier.dueDate) })
          : this.texts.say('dossier_overdue', {
              due: vietnameseDate(dossier.dueDate),
              new_due: vietnameseDate(dossier.newDueDate),
            }),
      );
    }
    const buttons = this.texts.handoffButtons;
    return {
      text: lines.filter((l) => l.length > 0).join('\n'),
      suggestedActions: late ? ['Gặp cán bộ', buttons.follow] : [buttons.follow],
    };
  }

  private detail(d: DossierRecord): string {
    const name = maskName(d.applicant.name);
    const due = vietnameseDate(d.newDueDate ?? d.dueDate);
    switch (d.status) {
      case 'received':
        return this.texts.say('dossier_received', {
          name,
          received: d.receivedAt ? vietnameseDate(d.receivedAt.slice(0, 10)) : '',
          due,
        });
      case 'processing':
        return this.texts.say('dossier_processing', { name, department: d.department ?? 'cơ quan có thẩm quyền', due });
      case 'additional_documents_requested': {
        const items = (d.additionalDocuments?.items ?? []).map((item, i) => `${i + 1}. ${item}`).join('\n');
        const deadline = d.additionalDocuments?.deadline
          ? `, trước ngày ${vietnameseDate(d.additionalDocuments.deadline)}`
          : '';
        return this.texts.say('dossier_additional', { name, items, deadline });
      }
      case 'ready_for_pickup':
        return this.texts.say('dossier_ready', {
          name,
          place: d.pickup?.place ?? 'nơi đã nộp hồ sơ',
          bring: (d.pickup?.bring ?? ['Giấy tiếp nhận hồ sơ và hẹn trả kết quả']).join('; '),
        });
      case 'sent_by_post':
        return this.texts.say('dossier_posted', {
          name,
          carrier: d.postal?.carrier ? ` (${d.postal.carrier})` : '',
          tracking: d.postal?.trackingNumber ?? '',
          tracking_url: d.postal?.trackingUrl ?? '',
        });
      case 'cancelled':
        return this.texts.say('dossier_cancelled', { name, reason: d.cancellation?.reason ?? '' });
    }
  }
}
