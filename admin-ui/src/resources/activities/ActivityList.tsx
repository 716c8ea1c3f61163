import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button as MuiButton, Chip, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, MenuItem, TextField as MuiTextField, Typography } from '@mui/material';
import { Button, Datagrid, Form, FunctionField, List, ResourceContextProvider, SelectInput, TextField, TextInput, TopToolbar, useNotify, usePermissions } from 'react-admin';
import { useNavigate } from 'react-router-dom';
import AddIcon from '@mui/icons-material/Add';
import TuneIcon from '@mui/icons-material/Tune';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { inputFor } from '../../components/inputFor.tsx';
import { useFormSchema } from '../../components/FormFields.tsx';
import { ServerSubmit } from '../../components/ServerSubmit.tsx';
import { STATUS_COLORS, clean, type ActivityFormSchema, type CommitteeOption } from './types.ts';
import type { ApiResponse } from '../../api-types.ts';
import { choicesOf, useLabels } from '../../lib/labels.ts';

type Row = ApiResponse<'/api/activities/managed'>[number];

/** 业绩成果默认配置: what new activities of a committee start from. */
function AchievementDefaultsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const notify = useNotify();
  const [committeeId, setCommitteeId] = useState<number | ''>('');
  const { data: schema } = useFormSchema('activity');
  const { data: committees } = useQuery({ queryKey: ['activity-committees'], queryFn: () => api<CommitteeOption[]>('/api/activities/committee-options'), enabled: open });
  const { data: defaults, isFetching } = useQuery({
    queryKey: ['achievement-defaults', committeeId],
    queryFn: () => api<{ achievements: Array<Record<string, unknown>> }>(`/api/committees/${committeeId}/achievement-defaults`),
    enabled: open && committeeId !== '',
  });
  const field = (schema as ActivityFormSchema | undefined)?.properties?.achievements;
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="lg">
      <DialogTitle>业绩成果默认配置</DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          新增评审活动时自动带入所选评委会的默认配置，可在活动中再修改。
        </Typography>
        <MuiTextField select label="评委会" value={committeeId} onChange={(e) => setCommitteeId(Number(e.target.value))} fullWidth sx={{ mb: 2 }}>
          {(committees ?? []).map((c) => (
            <MenuItem key={c.id} value={c.id}>
              {c.name}
            </MenuItem>
          ))}
        </MuiTextField>
        {committeeId !== '' && (isFetching || !field) ? <LinearProgress /> : null}
        {committeeId !== '' && defaults && field ? (
          <ResourceContextProvider value="achievement-defaults">
            <Form key={committeeId} defaultValues={{ achievements: defaults.achievements }}>
              {inputFor('achievements', field, false)}
              <DialogActions>
                <MuiButton onClick={onClose}>关闭</MuiButton>
                <ServerSubmit
                  label="保存默认配置"
                  onSubmit={async (values) => {
                    await api(`/api/committees/${committeeId}/achievement-defaults`, { method: 'PUT', json: { achievements: clean(values.achievements ?? []) } });
                    notify('已保存业绩成果默认配置', { type: 'success' });
                    onClose();
                  }}
                />
              </DialogActions>
            </Form>
          </ResourceContextProvider>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

function Actions() {
  const navigate = useNavigate();
  const [defaults, setDefaults] = useState(false);
  return (
    <TopToolbar>
      <Button label="业绩成果默认配置" onClick={() => setDefaults(true)}>
        <TuneIcon />
      </Button>
      <Button label="新增评审活动" onClick={() => navigate('/activities/create')} data-testid="create-activity">
        <AddIcon />
      </Button>
      <AchievementDefaultsDialog open={defaults} onClose={() => setDefaults(false)} />
    </TopToolbar>
  );
}

/** 评审活动发布: the activities of the caller's unit's committees, with where each stands. */
export function ActivityList() {
  const navigate = useNavigate();
  const { activityStatuses } = useLabels();
  const { permissions = [] } = usePermissions<string[]>();
  return (
    <List
      resource="activities/managed"
      title="评审活动发布"
      actions={<Actions />}
      sort={{ field: 'id', order: 'DESC' }}
      filters={[<TextInput key="q" source="q" label="评审活动名称" alwaysOn />, <SelectInput key="status" source="status" label="状态" choices={choicesOf(activityStatuses)} alwaysOn />, <TextInput key="year" source="year" label="评审年份" />]}
      empty={<Alert severity="info" sx={{ m: 2 }}>还没有评审活动，点击“新增评审活动”开始编制。</Alert>}
    >
      <Datagrid bulkActionButtons={false} rowClick={(id) => { navigate(`/activities/${id}`); return false; }} data-testid="activity-list">
        <TextField source="name" label="评审活动名称" sortable />
        <TextField source="committeeName" label="评委会" sortable={false} />
        <TextField source="year" label="年份" />
        <TextField source="kindLabel" label="类别" sortable={false} />
        <FunctionField<Row> label="状态" sortBy="status" render={(r) => <Chip size="small" color={STATUS_COLORS[r.status] ?? 'default'} label={r.statusLabel} title={r.reviewOpinion ?? undefined} />} />
        <TextField source="phaseLabel" label="申报阶段" emptyText="—" sortable={false} />
        <FunctionField<Row> label="申报开始" sortBy="startsAt" render={(r) => formatDateTime(r.startsAt)} />
        <FunctionField<Row> label="初次提交截止" sortable={false} render={(r) => formatDateTime(r.firstDeadline)} />
        {permissions.includes('meeting.manage') ? (
          <FunctionField<Row>
            label=""
            render={(r) => (
              <MuiButton size="small" onClick={(e) => { e.stopPropagation(); navigate(`/activities/${r.id}/scoring`); }}>
                评分标准
              </MuiButton>
            )}
          />
        ) : null}
      </Datagrid>
    </List>
  );
}
