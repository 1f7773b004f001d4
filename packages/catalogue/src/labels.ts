// Names of the workflow's values (statuses, kinds, states, sides, event types) in the three
// languages of the plan, for everything that shows them to people: exports, the dashboard.
import type { Locale } from './locale.ts';

type Labels = Readonly<Record<string, Readonly<Record<Locale, string>>>>;

export const VALUE_LABELS = {
  not_started: { 'zh-Hant': '未開始', 'zh-Hans': '未开始', en: 'Not started' },
  in_progress: { 'zh-Hant': '進行中', 'zh-Hans': '进行中', en: 'In progress' },
  blocked: { 'zh-Hant': '受阻', 'zh-Hans': '受阻', en: 'Blocked' },
  completed: { 'zh-Hant': '已完成', 'zh-Hans': '已完成', en: 'Completed' },
  awaiting_decision: { 'zh-Hant': '待決定', 'zh-Hans': '待决定', en: 'Awaiting decision' },
  closed: { 'zh-Hant': '已結項', 'zh-Hans': '已结项', en: 'Closed' },
  close_item: { 'zh-Hant': '結項', 'zh-Hans': '结项', en: 'Close item' },
  reopen_item: { 'zh-Hant': '重開', 'zh-Hans': '重开', en: 'Reopen item' },
  extend_deadline: { 'zh-Hant': '延長期限', 'zh-Hans': '延长期限', en: 'Extend deadline' },
  escalate: { 'zh-Hant': '提交聯席會議', 'zh-Hans': '提交联席会议', en: 'Escalate' },
  open: { 'zh-Hant': '待答覆', 'zh-Hans': '待答复', en: 'Open' },
  effective: { 'zh-Hant': '已生效', 'zh-Hans': '已生效', en: 'Effective' },
  rejected: { 'zh-Hant': '已否決', 'zh-Hans': '已否决', en: 'Rejected' },
  withdrawn: { 'zh-Hant': '已撤回', 'zh-Hans': '已撤回', en: 'Withdrawn' },
  approved: { 'zh-Hant': '已批准', 'zh-Hans': '已批准', en: 'Approved' },
  superseded: { 'zh-Hant': '已被取代', 'zh-Hans': '已被取代', en: 'Superseded' },
  gd: { 'zh-Hant': '廣東', 'zh-Hans': '广东', en: 'Guangdong' },
  hk: { 'zh-Hant': '香港', 'zh-Hans': '香港', en: 'Hong Kong' },
  'item.status-reported': { 'zh-Hant': '報告進度', 'zh-Hans': '报告进度', en: 'Status reported' },
  'item.department-assigned': { 'zh-Hant': '指派部門', 'zh-Hans': '指派部门', en: 'Department assigned' },
  'item.department-unassigned': { 'zh-Hant': '撤銷部門指派', 'zh-Hans': '撤销部门指派', en: 'Department unassigned' },
  'decision.proposed': { 'zh-Hant': '提出決定', 'zh-Hans': '提出决定', en: 'Decision proposed' },
  'decision.approved': { 'zh-Hant': '批准決定', 'zh-Hans': '批准决定', en: 'Decision approved' },
  'decision.rejected': { 'zh-Hant': '否決決定', 'zh-Hans': '否决决定', en: 'Decision rejected' },
  'decision.withdrawn': { 'zh-Hant': '撤回決定', 'zh-Hans': '撤回决定', en: 'Decision withdrawn' },
  'stream.repaired': { 'zh-Hant': '修復事件鏈', 'zh-Hans': '修复事件链', en: 'Event chain repaired' },
} as const satisfies Labels;

/** `value` in `locale`, or the value itself when it has no label. */
export function labelOf(value: string, locale: Locale): string {
  return (VALUE_LABELS as Labels)[value]?.[locale] ?? value;
}
