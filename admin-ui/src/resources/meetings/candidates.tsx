import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Stack, TextField } from '@mui/material';
import { api } from '../../lib/api.ts';
import { ListPager, NameFilter, usePaging, type Paging } from '../../lib/paging.tsx';
import type { MeetingCandidatePage, MeetingDetail } from './types.ts';

/**
 * One page of a meeting's candidates (GET /api/meetings/:id/candidates): a meeting of 3,000 is
 * worked through page by page, narrowed by name, status, panel or 主审. The previous page stays on
 * screen while the next loads.
 */
export function useCandidatePage(meetingId: number | undefined) {
  const paging = usePaging();
  const query = useQuery({
    queryKey: ['meeting-candidates', meetingId, paging.params.toString()],
    queryFn: () => api<MeetingCandidatePage>(`/api/meetings/${meetingId}/candidates?${paging.params.toString()}`),
    enabled: meetingId != null,
    placeholderData: keepPreviousData,
  });
  return { ...query, paging };
}

const selectSlot = (testId: string) => ({ inputLabel: { shrink: true }, select: { native: true }, htmlInput: { 'data-testid': testId } });

/** The list's filters: 姓名（开头）, 状态, 专业组 and (人员分配) 主审. */
export function CandidateFilterBar({ meeting, paging, withAssigned }: { meeting: MeetingDetail; paging: Paging; withAssigned?: boolean }) {
  return (
    <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mb: 1 }} data-testid="candidate-filters">
      <NameFilter paging={paging} testId="candidate-name" />
      <TextField select size="small" label="状态" value={paging.filter('status')} onChange={(e) => paging.setFilter('status', e.target.value)} sx={{ minWidth: 140 }} slotProps={selectSlot('candidate-status')}>
        <option value="">全部（{meeting.candidateSummary.total}）</option>
        {meeting.candidateSummary.byStatus.map((s) => (
          <option key={s.status} value={s.status}>
            {s.label}（{s.count}）
          </option>
        ))}
      </TextField>
      {meeting.facts.hasPanels ? (
        <TextField select size="small" label="专业组" value={paging.filter('panelId')} onChange={(e) => paging.setFilter('panelId', e.target.value)} sx={{ minWidth: 140 }} slotProps={selectSlot('candidate-panel-filter')}>
          <option value="">全部</option>
          <option value="0">未分组</option>
          {meeting.panels.map((p) => (
            <option key={p.id} value={String(p.id)}>
              {p.name}
            </option>
          ))}
        </TextField>
      ) : null}
      {withAssigned ? (
        <TextField select size="small" label="主审" value={paging.filter('assigned')} onChange={(e) => paging.setFilter('assigned', e.target.value)} sx={{ minWidth: 160 }} slotProps={selectSlot('candidate-assigned')}>
          <option value="">全部</option>
          <option value="false">未分配主审（{meeting.candidateSummary.unassigned}）</option>
          <option value="true">已分配主审</option>
        </TextField>
      ) : null}
    </Stack>
  );
}

/** 第 a–b 人，共 n 人, with the page size to choose. */
export function CandidatePagination({ list }: { list: ReturnType<typeof useCandidatePage> }) {
  return <ListPager paging={list.paging} total={list.data?.total ?? 0} testId="candidate-pagination" />;
}
