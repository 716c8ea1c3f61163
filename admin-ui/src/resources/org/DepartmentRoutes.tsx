import { useState } from 'react';
import { Dialog, DialogActions, DialogContent, DialogTitle, Button as MuiButton, Stack, Typography } from '@mui/material';
import { AutocompleteInput, Button, Datagrid, Form, FunctionField, List, ReferenceInput, ResourceContextProvider, TextField, required, useNotify, useRecordContext, useRefresh } from 'react-admin';
import EditIcon from '@mui/icons-material/Edit';
import ClearIcon from '@mui/icons-material/Clear';
import { api } from '../../lib/api.ts';
import { ServerSubmit } from '../../components/ServerSubmit.tsx';
import type { ApiResponse } from '../../api-types.ts';

type RouteRow = ApiResponse<'/api/department-routes'>[number];

function RouteActions() {
  const record = useRecordContext<RouteRow>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  if (!record) return null;
  return (
    <Stack direction="row">
      <Button label="设置主管部门" onClick={() => setOpen(true)}>
        <EditIcon />
      </Button>
      {record.departmentUnitId ? (
        <Button
          label="取消设置"
          onClick={async () => {
            try {
              await api(`/api/department-routes/${record.committeeId}`, { method: 'DELETE' });
              notify('已取消本地区的设置', { type: 'success' });
              refresh();
            } catch (err) {
              notify((err as Error).message, { type: 'error' });
            }
          }}
        >
          <ClearIcon />
        </Button>
      ) : null}
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm">
        <DialogTitle>设置主管部门：{record.committeeName}</DialogTitle>
        <ResourceContextProvider value="department-routes">
          <Form defaultValues={{ departmentUnitId: record.departmentUnitId ?? undefined }}>
            <DialogContent>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
                {record.regionName}的申报单位向该评委会申报时，申报材料经所选主管部门审核后报送。
              </Typography>
              <ReferenceInput source="departmentUnitId" reference="units" filter={{ unitType: 'department', within: true }}>
                <AutocompleteInput label="主管部门" optionText="name" filterToQuery={(q: string) => ({ q })} validate={required()} fullWidth />
              </ReferenceInput>
            </DialogContent>
            <DialogActions>
              <MuiButton onClick={() => setOpen(false)}>取消</MuiButton>
              <ServerSubmit
                label="确定"
                onSubmit={async (values) => {
                  await api(`/api/department-routes/${record.committeeId}`, { method: 'PUT', json: { departmentUnitId: values.departmentUnitId } });
                  notify('主管部门已设置', { type: 'success' });
                  setOpen(false);
                  refresh();
                }}
              />
            </DialogActions>
          </Form>
        </ResourceContextProvider>
      </Dialog>
    </Stack>
  );
}

/** 主管部门配置: which competent department local employers' dossiers pass through, per committee. */
export function DepartmentRouteList() {
  return (
    <List resource="department-routes" title="主管部门配置" pagination={false} perPage={500}>
      <Datagrid bulkActionButtons={false} rowClick={false} data-testid="department-routes">
        <TextField source="committeeName" label="评委会" sortable={false} />
        <TextField source="organizerName" label="组建单位" sortable={false} />
        <FunctionField
          label="本地区主管部门"
          render={(r: RouteRow) => r.departmentName ?? (r.inheritedDepartmentName ? `${r.inheritedDepartmentName}（沿用${r.inheritedFrom}的设置）` : '未设置（按单位隶属关系）')}
        />
        <RouteActions />
      </Datagrid>
    </List>
  );
}
