import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Stack, TextField } from '@mui/material';
import { api } from '../../lib/api.ts';
import { ListPager, NameFilter, usePaging, type Paging } from '../../lib/paging.tsx';
import type { Preparation } from './types.ts';

/**
 * 评审会议准备 with its candidates a page at a time (a meeting of 3,000): the options, the steps done
 * and the counts come with every page; the `objection` filter narrows to those 公示有异议 or not.
 */
export function usePreparation(meetingId: string | undefined) {
  const paging = usePaging();
  const query = useQuery({
    queryKey: ['meeting-prep', meetingId, paging.params.toString()],
    queryFn: () => api<Preparation>(`/api/meetings/${meetingId}/preparation?${paging.params.toString()}`),
    enabled: Boolean(meetingId),
    placeholderData: keepPreviousData,
  });
  return { ...query, paging };
}

/** 姓名（开头） and, on 公示有异议人员, 公示异议, above the candidates. */
export function PrepFilters({ paging, withObjection }: { paging: Paging; withObjection?: boolean }) {
  return (
    <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mb: 1 }}>
      <NameFilter paging={paging} testId="prep-name" />
      {withObjection ? (
        <TextField select size="small" label="公示异议" value={paging.filter('objection')} onChange={(e) => paging.setFilter('objection', e.target.value)} sx={{ minWidth: 160 }} slotProps={{ inputLabel: { shrink: true }, select: { native: true }, htmlInput: { 'data-testid': 'prep-objection' } }}>
          <option value="">全部</option>
          <option value="true">公示有异议</option>
          <option value="false">无异议</option>
        </TextField>
      ) : null}
    </Stack>
  );
}

/** 第 a–b 人，共 n 人. */
export const PrepPager = ({ paging, total }: { paging: Paging; total: number }) => <ListPager paging={paging} total={total} testId="prep-pagination" />;
