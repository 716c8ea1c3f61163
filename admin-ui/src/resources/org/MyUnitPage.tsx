import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Box, Button, Card, CardContent, CardHeader, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, Stack, Typography } from '@mui/material';
import { AutocompleteInput, Form, ReferenceInput, ResourceContextProvider, Title, required, useNotify } from 'react-admin';
import { api } from '../../lib/api.ts';
import { FormFields } from '../../components/FormFields.tsx';
import { ServerSubmit } from '../../components/ServerSubmit.tsx';
import { editableOf, UnitSummary, withoutEmpty, type UnitRecord } from './UnitDetails.tsx';

function ParentChangeDialog({ open, unit, onClose }: { open: boolean; unit: UnitRecord; onClose: () => void }) {
  const notify = useNotify();
  const queryClient = useQueryClient();
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>变更上级单位</DialogTitle>
      <ResourceContextProvider value="parent-change">
        <Form>
          <DialogContent>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
              变更上级单位需要新的上级单位审核；审核通过前，本单位仍由“{unit.parentName ?? '原上级单位'}”管理，业务照常办理。
            </Typography>
            <ReferenceInput source="parentId" reference="units">
              <AutocompleteInput label="新的上级单位" optionText="name" filterToQuery={(q: string) => ({ q })} validate={required()} fullWidth />
            </ReferenceInput>
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>取消</Button>
            <ServerSubmit
              label="提交审核"
              testId="submit-parent-change"
              onSubmit={async (values) => {
                const result = await api<{ parentName: string }>('/api/my-unit/parent-change', { method: 'POST', json: { parentId: values.parentId } });
                notify(`已提交“${result.parentName}”审核`, { type: 'success' });
                await queryClient.invalidateQueries({ queryKey: ['my-unit'] });
                onClose();
              }}
            />
          </DialogActions>
        </Form>
      </ResourceContextProvider>
    </Dialog>
  );
}

/** 本级单位管理 › 基本信息维护: the unit's own information; a new parent goes through that parent's approval. */
export function MyUnitPage() {
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [changing, setChanging] = useState(false);
  const { data: unit, error } = useQuery({ queryKey: ['my-unit'], queryFn: () => api<UnitRecord>('/api/my-unit') });
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!unit) return <LinearProgress />;
  const editable = unit.status === 'active';
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="本级单位信息" />
      <Stack spacing={2}>
        <Card>
          <CardContent>
            <UnitSummary unit={unit} />
            {editable && !unit.pendingParentId ? (
              <Button sx={{ mt: 2 }} variant="outlined" onClick={() => setChanging(true)} data-testid="change-parent">
                变更上级单位
              </Button>
            ) : null}
          </CardContent>
        </Card>
        {editable ? (
          <Card>
            <CardHeader title="维护基本信息" subheader="单位类型和职称业务归属地由上级单位维护；变更上级单位请使用上方按钮" />
            <CardContent>
              <ResourceContextProvider value="my-unit">
                <Form key={unit.version} defaultValues={editableOf(unit)}>
                  <FormFields formKey="unit-basic" omit={['regionCode']} />
                  <Typography variant="subtitle1" sx={{ mt: 2 }}>
                    法人信息
                  </Typography>
                  <FormFields formKey="unit-legal-rep" />
                  <ServerSubmit
                    label="保存"
                    testId="save-unit"
                    onSubmit={async (values) => {
                      await api('/api/my-unit', { method: 'PUT', json: { ...withoutEmpty(values), unitType: unit.unitType, regionCode: unit.regionCode, version: unit.version } });
                      notify('单位信息已保存', { type: 'success' });
                      await queryClient.invalidateQueries({ queryKey: ['my-unit'] });
                    }}
                  />
                </Form>
              </ResourceContextProvider>
            </CardContent>
          </Card>
        ) : null}
      </Stack>
      <ParentChangeDialog open={changing} unit={unit} onClose={() => setChanging(false)} />
    </Box>
  );
}
