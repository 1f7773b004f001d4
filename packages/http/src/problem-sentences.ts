// What each stable problem code means, in Chinese: the `detail` a zh-Hant or zh-Hans caller
// reads. English callers get the detail as raised (it names the specifics); Chinese callers get
// the sentence here, followed by those specifics when there are any.
import type { Locale } from '@gdhk/catalogue';

type Chinese = Readonly<Record<Exclude<Locale, 'en'>, string>>;

export const PROBLEM_SENTENCES: Readonly<Record<string, Chinese>> = {
  GDHK_UNAUTHORIZED: { 'zh-Hant': '需要有效的存取權杖（Authorization: Bearer）', 'zh-Hans': '需要有效的访问令牌（Authorization: Bearer）' },
  GDHK_WRONG_SIDE: { 'zh-Hant': '此服務不接受另一方的權杖，亦無人可寫入另一方的事件流', 'zh-Hans': '此服务不接受另一方的令牌，也无人可写入另一方的事件流' },
  GDHK_ROLE_FORBIDDEN: { 'zh-Hant': '此角色不可進行此操作', 'zh-Hans': '此角色不可进行此操作' },
  GDHK_ROUTE_NOT_FOUND: { 'zh-Hant': '沒有此路徑', 'zh-Hans': '没有此路径' },
  GDHK_ITEM_NOT_FOUND: { 'zh-Hant': '計劃中沒有此事項', 'zh-Hans': '计划中没有此事项' },
  GDHK_DECISION_NOT_FOUND: { 'zh-Hant': '沒有此決定', 'zh-Hans': '没有此决定' },
  GDHK_INVALID_CURSOR: { 'zh-Hant': '此游標並非本 API 所發出或已失效', 'zh-Hans': '此游标并非本 API 所发出或已失效' },
  GDHK_CURSOR_EXPIRED: { 'zh-Hant': '此游標之後的部分動態已因保留期限移除：請從動態開頭重新讀取，或以稽核重播取得完整記錄', 'zh-Hans': '此游标之后的部分动态已因保留期限移除：请从动态开头重新读取，或以稽核重播取得完整记录' },
  GDHK_TOO_MANY_STREAMS: { 'zh-Hant': '此用戶同時開啟的事件串流已達上限', 'zh-Hans': '此用户同时打开的事件流已达上限' },
  GDHK_STREAMS_EXHAUSTED: { 'zh-Hant': '本服務同時開啟的事件串流已達上限，請稍後重試', 'zh-Hans': '本服务同时打开的事件流已达上限，请稍后重试' },
  GDHK_VERSION_MISMATCH: { 'zh-Hant': 'If-Match 與事件流目前版本不符（強比較）', 'zh-Hans': 'If-Match 与事件流当前版本不符（强比较）' },
  GDHK_IDEMPOTENCY_KEY_REUSED: { 'zh-Hant': '此 Idempotency-Key 已用於另一請求內容', 'zh-Hans': '此 Idempotency-Key 已用于另一请求内容' },
  GDHK_IDEMPOTENCY_IN_FLIGHT: { 'zh-Hant': '使用同一 Idempotency-Key 的請求仍在處理中', 'zh-Hans': '使用同一 Idempotency-Key 的请求仍在处理中' },
  GDHK_STREAM_INTEGRITY: { 'zh-Hant': '此事項的事件流未能通過核實，暫停寫入', 'zh-Hans': '此事项的事件流未能通过核实，暂停写入' },
  GDHK_READ_MODEL_REBUILDING: { 'zh-Hant': '聯合視圖正從事件日誌重建，請稍後重試', 'zh-Hans': '联合视图正从事件日志重建，请稍后重试' },
  GDHK_READ_MODEL_UNAVAILABLE: { 'zh-Hant': '暫時無法連接讀取模型', 'zh-Hans': '暂时无法连接读取模型' },
  GDHK_LOG_UNAVAILABLE: { 'zh-Hant': '暫時無法讀寫事件日誌', 'zh-Hans': '暂时无法读写事件日志' },
  GDHK_WRITE_OUTCOME_UNKNOWN: { 'zh-Hant': '事件日誌未確認寫入，亦暫時未能判斷是否已寫入；請以同一 Idempotency-Key 重試以得知結果', 'zh-Hans': '事件日志未确认写入，也暂时未能判断是否已写入；请以同一 Idempotency-Key 重试以得知结果' },
  GDHK_WRITER_FENCED: { 'zh-Hant': '此實例已被同一方較新的實例取代，只可讀取', 'zh-Hans': '此实例已被同一方较新的实例取代，只可读取' },
  GDHK_RATE_LIMITED: { 'zh-Hant': '超出請求速率上限', 'zh-Hans': '超出请求速率上限' },
  GDHK_BODY_TOO_LARGE: { 'zh-Hant': '請求內容過大', 'zh-Hans': '请求内容过大' },
  GDHK_UNSUPPORTED_MEDIA_TYPE: { 'zh-Hant': '不支援此內容類型', 'zh-Hans': '不支持此内容类型' },
  GDHK_INVALID_BODY: { 'zh-Hant': '請求內容無法解析', 'zh-Hans': '请求内容无法解析' },
  GDHK_STATUS_NEEDS_BLOCKERS: { 'zh-Hant': '受阻狀態須說明阻礙', 'zh-Hans': '受阻状态须说明阻碍' },
  GDHK_STATUS_NEEDS_FULL_PROGRESS: { 'zh-Hant': '已完成狀態的進度須為 100', 'zh-Hans': '已完成状态的进度须为 100' },
  GDHK_TARGET_DATE_REQUIRED: { 'zh-Hant': '延長期限的決定須附新目標日期', 'zh-Hans': '延长期限的决定须附新目标日期' },
  GDHK_TARGET_DATE_NOT_ALLOWED: { 'zh-Hant': '只有延長期限的決定可附目標日期', 'zh-Hans': '只有延长期限的决定可附目标日期' },
  GDHK_TARGET_DATE_PAST: { 'zh-Hant': '新目標日期早於香港今日', 'zh-Hans': '新目标日期早于香港今日' },
  GDHK_TARGET_DATE_NOT_LATER: { 'zh-Hant': '新目標日期不晚於現有目標日期', 'zh-Hans': '新目标日期不晚于现有目标日期' },
  GDHK_NOT_ASSIGNED: { 'zh-Hant': '此事項未指派予報告人的部門', 'zh-Hans': '此事项未指派给报告人的部门' },
  GDHK_ITEM_CLOSED: { 'zh-Hant': '此事項已結項', 'zh-Hans': '此事项已结项' },
  GDHK_ITEM_NOT_CLOSED: { 'zh-Hant': '此事項尚未結項', 'zh-Hans': '此事项尚未结项' },
  GDHK_ITEM_COMPLETED: { 'zh-Hant': '此方已完成的事項須待重開決定生效後方可再變更', 'zh-Hans': '此方已完成的事项须待重开决定生效后方可再变更' },
  GDHK_NOT_BOTH_COMPLETED: { 'zh-Hant': '結項須雙方均已完成', 'zh-Hans': '结项须双方均已完成' },
  GDHK_ALREADY_ASSIGNED: { 'zh-Hant': '此部門已獲指派此事項', 'zh-Hans': '此部门已获指派此事项' },
  GDHK_ALREADY_UNASSIGNED: { 'zh-Hant': '此部門並未獲指派此事項', 'zh-Hans': '此部门并未获指派此事项' },
  GDHK_ALREADY_ESCALATED: { 'zh-Hant': '此事項已提交聯席會議', 'zh-Hans': '此事项已提交联席会议' },
  GDHK_DECISION_EXISTS: { 'zh-Hant': '此決定編號已被使用', 'zh-Hans': '此决定编号已被使用' },
  GDHK_DECISION_OPEN_EXISTS: { 'zh-Hant': '此事項已有同類待答覆的決定', 'zh-Hans': '此事项已有同类待答复的决定' },
  GDHK_DECISION_NOT_OPEN: { 'zh-Hant': '此決定已非待答覆', 'zh-Hans': '此决定已非待答复' },
  GDHK_OWN_SIDE_DECISION: { 'zh-Hant': '提出方的決定於提出時即已獲本方批准，只可由另一方答覆', 'zh-Hans': '提出方的决定于提出时即已获本方批准，只可由另一方答复' },
  GDHK_NOT_PROPOSER_SIDE: { 'zh-Hant': '只有提出方可撤回決定', 'zh-Hans': '只有提出方可撤回决定' },
  GDHK_STREAM_NOT_HALTED: { 'zh-Hant': '此方的事件鏈未被暫停，無需修復', 'zh-Hans': '此方的事件链未被暂停，无需修复' },
  GDHK_FORK_MISMATCH: { 'zh-Hant': '修復指明的記錄並非導致暫停的分叉記錄', 'zh-Hans': '修复指明的记录并非导致暂停的分叉记录' },
  GDHK_EVENT_NOT_FOUND: { 'zh-Hant': '聯合視圖中沒有經核實的提交封條所涵蓋的此事件（不在日誌中，或尚未封存或讀取）', 'zh-Hans': '联合视图中没有经核实的提交封条所涵盖的此事件（不在日志中，或尚未封存或读取）' },
  GDHK_EVENT_NOT_SEALED: { 'zh-Hant': '此事件屬第 1 版格式，由其自身簽署，沒有提交封條，故無包含證明', 'zh-Hans': '此事件属第 1 版格式，由其自身签署，没有提交封条，故无包含证明' },
  GDHK_CONTEXT_MISMATCH: { 'zh-Hant': '命令或狀態屬於另一事項或另一方', 'zh-Hans': '命令或状态属于另一事项或另一方' },
};

/** The detail in `locale`: as raised for English, else the code's sentence and the specifics. */
export function localizedDetail(code: string, detail: string | undefined, locale: Locale): string | undefined {
  if (locale === 'en') return detail;
  const sentence = PROBLEM_SENTENCES[code]?.[locale];
  if (!sentence) return detail;
  return detail ? `${sentence}（${detail}）` : sentence;
}
