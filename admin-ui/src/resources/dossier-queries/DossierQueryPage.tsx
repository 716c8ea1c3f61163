import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Box, Card, CardContent, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import {
  AutocompleteInput,
  Button,
  Datagrid,
  FilterButton,
  FunctionField,
  List,
  ReferenceInput,
  SelectInput,
  TextField,
  TextInput,
  TopToolbar,
  useListContext,
  useNotify,
} from 'react-admin';
import DownloadIcon from '@mui/icons-material/Download';
import { api } from '../../lib/api.ts';
import { downloadFrom } from '../../lib/download.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useQueryOptions } from './useQueryOptions.ts';
import type { Counts, DossierRow, QueryOptions, Summary } from './types.ts';

const CARDS: Array<{ key: keyof Counts; label: string; hint: string }> = [
  { key: 'declared', label: '申报人数', hint: '已提交（不含未提交的草稿）' },
  { key: 'received', label: '接收人数', hint: '评委会已接收' },
  { key: 'passed', label: '通过人数', hint: '评审通过' },
  { key: 'reviewing', label: '审核中', hint: '在各级单位审核' },
  { key: 'returned', label: '已退回', hint: '退回申报人修改' },
  { key: 'rejected', label: '不通过', hint: '本年度不得再次申报' },
];

const filterParam = (values: Record<string, unknown> | undefined) => encodeURIComponent(JSON.stringify(values ?? {}));

/** 申报、接收、通过人数 for the current filters, in total and per committee. */
function SummaryCards() {
  const { filterValues } = useListContext();
  const { data } = useQuery({
    queryKey: ['dossier-query-summary', filterValues],
    queryFn: () => api<Summary>(`/api/dossier-queries/summary?filter=${filterParam(filterValues)}`),
  });
  if (!data) return null;
  return (
    <Box sx={{ mb: 2 }} data-testid="dossier-query-summary">
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', mb: 2 }}>
        {CARDS.map((c) => (
          <Card key={c.key} variant="outlined" sx={{ minWidth: 140 }}>
            <CardContent>
              <Typography variant="body2" color="text.secondary">
                {c.label}
              </Typography>
              <Typography variant="h4" data-testid={`count-${c.key}`}>
                {data.totals[c.key]}
              </Typography>
              <Typography variant="caption" color="text.secondary">
                {c.hint}
              </Typography>
            </CardContent>
          </Card>
        ))}
      </Stack>
      {data.committees.length > 1 ? (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>评委会</TableCell>
              {CARDS.map((c) => (
                <TableCell key={c.key} align="right">
                  {c.label}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {data.committees.map((row) => (
              <TableRow key={row.id}>
                <TableCell>{row.committeeName}</TableCell>
                {CARDS.map((c) => (
                  <TableCell key={c.key} align="right">
                    {row[c.key]}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </Box>
  );
}

function ListActions() {
  const [busy, setBusy] = useState(false);
  const notify = useNotify();
  const { filterValues, sort } = useListContext();
  return (
    <TopToolbar>
      <FilterButton />
      <Button
        label="导出"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            const order = sort ? `&sort=${encodeURIComponent(JSON.stringify([sort.field, sort.order]))}` : '';
            await downloadFrom(`/api/dossier-queries/export?filter=${filterParam(filterValues)}${order}`, '申报材料综合查询.xlsx');
          } catch (err) {
            notify((err as Error).message, { type: 'error' });
          } finally {
            setBusy(false);
          }
        }}
      >
        <DownloadIcon />
      </Button>
    </TopToolbar>
  );
}

function filtersOf(options: QueryOptions | undefined) {
  const committees = options?.committees ?? [];
  const activities = committees.flatMap((c) => c.activities.map((a) => ({ id: a.id, name: `${a.name}（${a.year}）` })));
  return [
    <SelectInput key="committeeId" source="committeeId" label="评委会" choices={committees.map((c) => ({ id: c.id, name: c.name }))} alwaysOn />,
    <TextInput key="q" source="q" label="姓名" alwaysOn />,
    <SelectInput key="activityId" source="activityId" label="评审活动" choices={activities} />,
    <SelectInput key="series" source="series" label="申报系列" choices={options?.series ?? []} />,
    <SelectInput key="level" source="level" label="申报层级" choices={options?.levels ?? []} />,
    <TextInput key="specialty" source="specialty" label="申报专业" />,
    <ReferenceInput key="regionCode" source="regionCode" reference="regions">
      <AutocompleteInput label="地区" optionText="label" filterToQuery={(q: string) => ({ q })} />
    </ReferenceInput>,
    <SelectInput key="status" source="status" label="状态" choices={options?.statuses ?? []} />,
    <SelectInput key="evaluationMethod" source="evaluationMethod" label="评价方式" choices={options?.evaluationMethods ?? []} />,
  ];
}

/** 申报材料综合查询 (manual §1.2.3.3): the declared, received and passed of the committees the caller's unit organises, and the dossiers behind them. */
export function DossierQueryPage() {
  const { data: options } = useQueryOptions();
  return (
    <List
      resource="dossier-queries"
      title="申报材料综合查询"
      sort={{ field: 'submittedAt', order: 'DESC' }}
      perPage={25}
      actions={<ListActions />}
      filters={filtersOf(options)}
      empty={false}
    >
      <Box sx={{ p: 2, pb: 0 }}>
        <SummaryCards />
      </Box>
      <Datagrid bulkActionButtons={false} rowClick={false} data-testid="dossier-queries">
        {/* only the submission time sorts: the other columns are filters (an index walks this order at any depth) */}
        <TextField source="applicantName" label="姓名" sortable={false} />
        <TextField source="employerName" label="工作单位" sortable={false} />
        <TextField source="regionName" label="地区" sortable={false} />
        <TextField source="committeeName" label="评委会" sortable={false} />
        <TextField source="seriesName" label="申报系列" sortable={false} />
        <TextField source="levelName" label="申报层级" sortable={false} />
        <TextField source="specialty" label="申报专业" sortable={false} />
        <TextField source="evaluationMethodName" label="评价方式" sortable={false} />
        <TextField source="statusName" label="状态" sortable={false} />
        <FunctionField label="提交时间" sortBy="submittedAt" render={(r: DossierRow) => (r.submittedAt ? formatDateTime(r.submittedAt) : '')} />
      </Datagrid>
    </List>
  );
}
