const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const dateOnly = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Times are shown in Asia/Shanghai, whatever the browser's zone. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const d = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? String(value) : dateTime.format(d).replace(/\//g, '-');
}

export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const d = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? String(value) : dateOnly.format(d).replace(/\//g, '-');
}

export const HISTORY_LABELS: Record<string, string> = {
  'instance.start': '发起',
  'instance.end': '结束',
  'instance.terminate': '终止',
  'instance.cancel': '取消',
  'instance.migrate': '迁移至新版本',
  'instance.move': '移至其他步骤',
  'task.complete': '办理',
  'task.claim': '认领',
  'task.unclaim': '取消认领',
  'task.overdue': '超期',
  'timer.fire': '定时触发',
  'call.start': '进入子流程',
  'call.end': '子流程完成',
  'incident.create': '出现异常',
  'incident.retry': '重试',
  'incident.resolve': '异常已解决',
  'dossier.not_delivered': '未在评委会接收截止前报送',
  // messages between flows (评审结果 arrived …)
  'message.wait': '等待消息',
  'message.throw': '发送消息',
  'message.receive': '收到消息',
};
