import { labelOf, type Locale } from '@gdhk/catalogue';
import type { z } from 'zod';
import type { ExportTable } from './exports.ts';
import type { decisionSchema, jointItemSchema } from './schemas.ts';

type Presented = z.infer<typeof jointItemSchema>;
type Decision = z.infer<typeof decisionSchema>;
type Words = Record<Locale, readonly string[]>;

const itemColumns: Words = {
  en: ['Item', 'No.', 'Chapter', 'Chapter title', 'Section', 'Text', 'Joint status', 'Overdue', 'Integrity', 'Target date', 'GD status', 'GD progress', 'GD summary', 'GD departments', 'HK status', 'HK progress', 'HK summary', 'HK departments', 'Open decisions'],
  'zh-Hant': ['事項', '序號', '章', '章標題', '節', '內容', '聯合狀態', '逾期', '完整性', '目標日期', '廣東狀態', '廣東進度', '廣東摘要', '廣東部門', '香港狀態', '香港進度', '香港摘要', '香港部門', '待決定'],
  'zh-Hans': ['事项', '序号', '章', '章标题', '节', '内容', '联合状态', '逾期', '完整性', '目标日期', '广东状态', '广东进度', '广东摘要', '广东部门', '香港状态', '香港进度', '香港摘要', '香港部门', '待决定'],
};

const decisionColumns: Words = {
  en: ['Decision', 'Item', 'Kind', 'State', 'Proposed by', 'Proposer', 'Proposed at', 'Rationale', 'Target date', 'Resolution', 'Resolved at'],
  'zh-Hant': ['決定', '事項', '類別', '狀態', '提出方', '提出人', '提出時間', '理由', '目標日期', '結果', '結果時間'],
  'zh-Hans': ['决定', '事项', '类别', '状态', '提出方', '提出人', '提出时间', '理由', '目标日期', '结果', '结果时间'],
};

const sheets: Record<'items' | 'decisions', Record<Locale, string>> = {
  items: { en: 'Items', 'zh-Hant': '事項', 'zh-Hans': '事项' },
  decisions: { en: 'Decisions', 'zh-Hant': '決定', 'zh-Hans': '决定' },
};

const yesNo: Record<Locale, [string, string]> = { en: ['yes', 'no'], 'zh-Hant': ['是', '否'], 'zh-Hans': ['是', '否'] };

/** The items as the overview shows them, one row each, in `locale`. */
export function itemsTable(items: readonly Presented[], locale: Locale): ExportTable {
  const [yes, no] = yesNo[locale];
  return {
    sheet: sheets.items[locale],
    columns: itemColumns[locale],
    rows: items.map((item) => [
      item.itemId,
      item.number,
      item.chapter.number,
      item.chapter.title,
      item.section?.title ?? null,
      item.text,
      labelOf(item.status, locale),
      item.overdue ? yes : no,
      item.integrity,
      item.targetDate,
      ...(['gd', 'hk'] as const).flatMap((side) => [labelOf(item.sides[side].status, locale), item.sides[side].progress, item.sides[side].summary, item.sides[side].departments.join('; ')]),
      item.openDecisions.length,
    ]),
  };
}

/** Every decision, one row each, in `locale`. */
export function decisionsTable(decisions: readonly Decision[], locale: Locale): ExportTable {
  return {
    sheet: sheets.decisions[locale],
    columns: decisionColumns[locale],
    rows: decisions.map((decision) => [
      decision.decisionId,
      decision.itemId,
      labelOf(decision.kind, locale),
      labelOf(decision.state, locale),
      labelOf(decision.proposedBy, locale),
      decision.proposal.actor.userId,
      decision.proposal.occurredAt,
      decision.proposal.rationale,
      decision.proposal.targetDate,
      decision.resolution ? labelOf(decision.resolution.reason, locale) : null,
      decision.resolution && 'occurredAt' in decision.resolution ? decision.resolution.occurredAt : null,
    ]),
  };
}
