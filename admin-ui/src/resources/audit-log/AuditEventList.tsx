import { useEffect, useState } from 'react';
import {
  AutocompleteInput,
  Button,
  Datagrid,
  DateInput,
  FunctionField,
  List,
  ReferenceInput,
  SelectInput,
  SimpleList,
  TextField,
  TextInput,
  TopToolbar,
  useListContext,
  useNotify,
} from 'react-admin';
import { Box, Chip, Drawer, IconButton, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography, useMediaQuery } from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import DownloadIcon from '@mui/icons-material/Download';
import { api } from '../../lib/api.ts';
import { downloadFrom } from '../../lib/download.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { ApiResponse } from '../../api-types.ts';

type Row = ApiResponse<'/api/audit-events'>[number];
type Catalog = ApiResponse<'/api/audit-events/catalog'>;

/** 导出 Excel: the rows the current search finds, as the API writes them. */
function ExportButton() {
  const { filterValues } = useListContext();
  const notify = useNotify();
  return (
    <Button
      label="导出 Excel"
      data-testid="audit-export"
      onClick={async () => {
        try {
          await downloadFrom(`/api/audit-events/export?filter=${encodeURIComponent(JSON.stringify(filterValues))}`, '操作审计.xlsx');
          notify('已导出操作审计（Excel）', { type: 'success' });
        } catch (err) {
          notify((err as Error).message, { type: 'error' });
        }
      }}
    >
      <DownloadIcon />
    </Button>
  );
}

/** The detail drawer: who did what, and each field before and after, the changed ones marked. */
function EventDrawer({ event, onClose }: { event: Row | null; onClose: () => void }) {
  return (
    <Drawer anchor="right" open={Boolean(event)} onClose={onClose} slotProps={{ paper: { sx: { width: { xs: '100%', sm: 560 } } } }}>
      {event ? (
        <Box sx={{ p: 2 }} data-testid="audit-detail">
          <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
            <Typography variant="h6">{event.actionName}</Typography>
            <IconButton aria-label="关闭" onClick={onClose}>
              <CloseIcon />
            </IconButton>
          </Stack>
          <Typography variant="body2" sx={{ mb: 2, color: 'text.secondary' }}>
            {formatDateTime(event.createdAt)} · {event.actorName}
            {event.actorUnitName ? `（${event.actorUnitName}）` : ''} · {event.targetTypeName} {event.targetId}
            {event.unitName ? ` · ${event.unitName}` : ''}
          </Typography>
          {event.changes.length ? (
            <Table size="small" aria-label="变更前后对照">
              <TableHead>
                <TableRow>
                  <TableCell>字段</TableCell>
                  <TableCell>变更前</TableCell>
                  <TableCell>变更后</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {event.changes.map((c) => (
                  <TableRow key={c.field} data-changed={c.changed} sx={c.changed ? { bgcolor: '#fff4e5' } : undefined}>
                    <TableCell>
                      {c.label}
                      {c.changed ? <Chip size="small" label="已变更" color="warning" sx={{ ml: 1 }} /> : null}
                    </TableCell>
                    <TableCell sx={{ wordBreak: 'break-all', textDecoration: c.changed && c.before ? 'line-through' : undefined }}>{c.before ?? '（无）'}</TableCell>
                    <TableCell sx={{ wordBreak: 'break-all', fontWeight: c.changed ? 600 : undefined }}>{c.after ?? '（无）'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : (
            <Typography variant="body2">这条记录没有字段内容。</Typography>
          )}
        </Box>
      ) : null}
    </Drawer>
  );
}

/** 操作审计: who changed what in the administration, searched by person, action, object, unit and time. */
export function AuditEventList() {
  const [catalog, setCatalog] = useState<Catalog>({ actions: [], targetTypes: [] });
  const [open, setOpen] = useState<Row | null>(null);
  const phone = useMediaQuery('(max-width:600px)');
  useEffect(() => {
    void api<Catalog>('/api/audit-events/catalog').then(setCatalog, () => undefined);
  }, []);
  const filters = [
    <TextInput key="actorName" source="actorName" label="操作人" alwaysOn />,
    <SelectInput key="action" source="action" label="操作" choices={catalog.actions} alwaysOn />,
    <SelectInput key="targetType" source="targetType" label="对象类型" choices={catalog.targetTypes} />,
    <TextInput key="targetId" source="targetId" label="对象编号" />,
    <ReferenceInput key="unitId" source="unitId" reference="units" label="所属单位">
      <AutocompleteInput label="所属单位" optionText="name" filterToQuery={(q: string) => ({ q })} />
    </ReferenceInput>,
    <DateInput key="from" source="from" label="开始日期" alwaysOn />,
    <DateInput key="to" source="to" label="结束日期" alwaysOn />,
  ];
  return (
    <>
      <List
        resource="audit-events"
        title="操作审计"
        filters={filters}
        sort={{ field: 'id', order: 'DESC' }}
        perPage={25}
        actions={
          <TopToolbar>
            <ExportButton />
          </TopToolbar>
        }
        empty={false}
      >
        {phone ? (
          <SimpleList
            primaryText={(r: Row) => r.actionName}
            secondaryText={(r: Row) => `${r.actorName} · ${r.targetTypeName} ${r.targetId}`}
            tertiaryText={(r: Row) => formatDateTime(r.createdAt)}
            rowClick={(_id, _r, record) => {
              setOpen(record as unknown as Row);
              return false;
            }}
          />
        ) : (
        <Datagrid bulkActionButtons={false} rowClick={(_id, _r, record) => { setOpen(record as unknown as Row); return false; }}>
          <FunctionField label="时间" render={(r: Row) => formatDateTime(r.createdAt)} />
          <TextField source="actorName" label="操作人" sortable={false} />
          <TextField source="actorUnitName" label="操作人单位" sortable={false} emptyText="—" />
          <TextField source="actionName" label="操作" sortable={false} />
          <FunctionField label="对象" render={(r: Row) => `${r.targetTypeName} ${r.targetId}`} />
          <TextField source="unitName" label="所属单位" sortable={false} emptyText="—" />
          <FunctionField label="变更" render={(r: Row) => r.changes.filter((c) => c.changed).map((c) => c.label).join('、') || '—'} />
        </Datagrid>
        )}
      </List>
      <EventDrawer event={open} onClose={() => setOpen(null)} />
    </>
  );
}
