import { Box, Chip, Stack, Typography } from '@mui/material';
import { HISTORY_LABELS, formatDateTime } from '../lib/format.ts';
import { useLabels } from '../lib/labels.ts';
import type { ApiResponse } from '../api-types.ts';

/** An entry of 经办流程, as a task or an instance carries it. */
export type HistoryItem = ApiResponse<'/api/tasks/{id}'>['history'][number];

const SHOWN = new Set(['instance.start', 'task.complete', 'task.claim', 'task.unclaim', 'task.overdue', 'timer.fire', 'incident.create', 'incident.resolve', 'instance.terminate', 'instance.cancel', 'message.receive', 'instance.migrate', 'instance.move']);

/** 经办流程: who did what, when, with which opinion — each entry in its own step's words and with its own unit. */
export function HistoryTimeline({ history }: { history: HistoryItem[] }) {
  const { actions } = useLabels();
  // a case starts once: the starts of its sub-flows (e.g. 多岗审核) are internal
  const firstStart = history.find((h) => h.type === 'instance.start')?.id;
  const items = history.filter((h) => SHOWN.has(h.type) && !(h.type === 'instance.start' && (h.elementId || h.id !== firstStart)));
  if (!items.length) return <Typography color="text.secondary">暂无经办记录</Typography>;
  return (
    <Stack spacing={1.5} data-testid="history">
      {items.map((h) => {
        const actionLabel = h.action ? (h.actionLabel ?? actions[h.action] ?? h.action) : (HISTORY_LABELS[h.type] ?? h.type);
        const color = h.action === 'reject' ? 'error' : h.action === 'return' ? 'warning' : h.action ? 'success' : 'default';
        return (
          <Box key={h.id} sx={{ borderLeft: 3, borderColor: 'divider', pl: 1.5 }} data-testid="history-entry">
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
              <Typography variant="body2" color="text.secondary">
                {formatDateTime(h.createdAt)}
              </Typography>
              <Typography variant="body2" sx={{ fontWeight: 600 }}>
                {h.elementName ?? (h.type === 'instance.start' ? '发起' : '')}
              </Typography>
              <Chip size="small" label={actionLabel} color={color} variant="outlined" data-testid="history-action" />
              {h.unitName ? (
                <Typography variant="body2" color="text.secondary" data-testid="history-unit">
                  {h.unitName}
                </Typography>
              ) : null}
              {h.actorName ? <Typography variant="body2">{h.actorName}</Typography> : null}
            </Stack>
            {h.opinion ? (
              <Typography variant="body2" sx={{ mt: 0.5, whiteSpace: 'pre-wrap' }}>
                意见：{h.opinion}
              </Typography>
            ) : null}
          </Box>
        );
      })}
    </Stack>
  );
}
