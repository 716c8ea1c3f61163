import { useState, type ReactElement } from 'react';
import { Chip, MenuItem, Stack, Switch, TextField as MuiTextField, Tooltip, Typography } from '@mui/material';
import { Button, Confirm, FunctionField, TextField, TextInput, useListContext, useNotify, useRecordContext, useRefresh } from 'react-admin';
import CheckIcon from '@mui/icons-material/Check';
import DeleteIcon from '@mui/icons-material/Delete';
import EditIcon from '@mui/icons-material/Edit';
import ReplayIcon from '@mui/icons-material/Replay';
import SendIcon from '@mui/icons-material/Send';
import UndoIcon from '@mui/icons-material/Undo';
import VisibilityIcon from '@mui/icons-material/Visibility';
import { api } from '../../lib/api.ts';
import { DecisionDialog, ExpertDialog } from './ExpertDialogs.tsx';
import { RECOMMENDER_OMITS, type ExpertRecord } from './types.ts';

export function EmptyHint() {
  return (
    <Typography color="text.secondary" sx={{ p: 2 }}>
      暂无专家
    </Typography>
  );
}

export const searchFilter = [<TextInput key="q" source="q" label="姓名、工作单位或证件号码（精确查询）" alwaysOn sx={{ minWidth: 320 }} />];

/** The columns of the manual's expert tables (图 2.2.28): 姓名 性别 年龄 证件号码 手机号码 现职称 工作单位 行政职务. */
export function expertColumns(): ReactElement[] {
  return [
    <FunctionField
      key="name"
      label="姓名"
      sortBy="name"
      render={(r: ExpertRecord) => (
        <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
          <span>{r.name}</span>
          {r.isChair ? <Chip size="small" color="primary" variant="outlined" label="主任委员" /> : null}
          {r.isViceChair ? <Chip size="small" color="primary" variant="outlined" label="副主任委员" /> : null}
        </Stack>
      )}
    />,
    <TextField key="sexName" source="sexName" label="性别" sortable={false} />,
    <TextField key="age" source="age" label="年龄" sortBy="age" />,
    <TextField key="idNumber" source="idNumber" label="证件号码" sortable={false} />,
    <TextField key="phone1" source="phone1" label="手机号码" sortable={false} />,
    <TextField key="currentTitle" source="currentTitle" label="现职称" sortable={false} />,
    <TextField key="specialty" source="specialty" label="现从事专业" sortBy="specialty" />,
    <TextField key="employer" source="employer" label="工作单位" sortBy="employer" />,
    <TextField key="post" source="post" label="行政职务" sortable={false} />,
  ];
}

export const returnedColumn = (
  <FunctionField
    key="returned"
    label="退回"
    render={(r: ExpertRecord) =>
      r.status === 'returned' ? (
        <Tooltip title={r.returnedReason ?? ''}>
          <Chip size="small" color="warning" label={`${r.returnedStageName ?? '已退回'}：${r.returnedReason ?? ''}`} sx={{ maxWidth: 260 }} />
        </Tooltip>
      ) : null
    }
  />
);

export const statusColumn = (
  <FunctionField
    key="status"
    label="状态"
    render={(r: ExpertRecord) => <Chip size="small" color={r.status === 'in_pool' ? 'success' : r.status === 'returned' ? 'warning' : 'default'} label={r.statusName} />}
  />
);

/** Runs an action and says how it went; the list and counts are refreshed either way. */
function useRun() {
  const notify = useNotify();
  const refresh = useRefresh();
  return async (work: () => Promise<string>) => {
    try {
      notify(await work(), { type: 'success' });
    } catch (err) {
      notify((err as Error).message, { type: 'error', multiLine: true });
    } finally {
      refresh();
    }
  };
}

/** 批量提交: the selected experts to the registrar's review. */
export function BulkSubmit({ committeeId }: { committeeId: number }) {
  const { selectedIds, onUnselectItems } = useListContext();
  const run = useRun();
  return (
    <Button
      label="提交审核"
      data-testid="bulk-submit"
      onClick={() =>
        void run(async () => {
          const r = await api<{ count: number }>(`/api/expert-pools/${committeeId}/submit`, { method: 'POST', json: { ids: selectedIds } });
          onUnselectItems();
          return `已提交 ${r.count} 名专家，等待备案单位审核`;
        })
      }
    >
      <SendIcon />
    </Button>
  );
}

/** The review steps the list showed for the chosen experts: the API refuses (409) a case that has moved on since. */
function stepsOf(records: ExpertRecord[]): { stepIds?: string[] } {
  const stepIds = [...new Set(records.map((r) => r.reviewStepId).filter((id): id is string => id != null))];
  return stepIds.length ? { stepIds } : {};
}

/** 批量通过 / 退回: of recommendations (organiser) or of submitted experts (registrar). */
export function BulkDecision({ path, what }: { path: string; what: string }) {
  const { selectedIds, onUnselectItems, data = [] } = useListContext<ExpertRecord>();
  const [action, setAction] = useState<'pass' | 'return' | null>(null);
  const refresh = useRefresh();
  const notify = useNotify();
  return (
    <>
      <Button label="通过" onClick={() => setAction('pass')} data-testid="bulk-pass">
        <CheckIcon />
      </Button>
      <Button label="退回" color="warning" onClick={() => setAction('return')} data-testid="bulk-return">
        <UndoIcon />
      </Button>
      <DecisionDialog
        open={action !== null}
        title={`${action === 'return' ? '退回' : '通过'}${what}`}
        action={action ?? 'pass'}
        count={selectedIds.length}
        onClose={() => setAction(null)}
        onConfirm={async (opinion) => {
          try {
            const shown = data.filter((e) => selectedIds.includes(e.id));
            const r = await api<{ count: number }>(path, { method: 'POST', json: { ids: selectedIds, action, opinion, ...stepsOf(shown) } });
            notify(`已${action === 'return' ? '退回' : '通过'} ${r.count} 名专家`, { type: 'success' });
            onUnselectItems();
          } finally {
            refresh();
          }
        }}
      />
    </>
  );
}

/** 通过 / 退回 on one row. */
export function RowDecision({ path, what }: { path: string; what: string }) {
  const record = useRecordContext<ExpertRecord>();
  const [action, setAction] = useState<'pass' | 'return' | null>(null);
  const refresh = useRefresh();
  const notify = useNotify();
  if (!record) return null;
  return (
    <Stack direction="row" onClick={(e) => e.stopPropagation()}>
      <Button label="通过" onClick={() => setAction('pass')}>
        <CheckIcon />
      </Button>
      <Button label="退回" color="warning" onClick={() => setAction('return')}>
        <UndoIcon />
      </Button>
      <DecisionDialog
        open={action !== null}
        title={`${action === 'return' ? '退回' : '通过'}${what}：${record.name}`}
        action={action ?? 'pass'}
        count={1}
        onClose={() => setAction(null)}
        onConfirm={async (opinion) => {
          try {
            await api(path, { method: 'POST', json: { ids: [record.id], action, opinion, ...stepsOf([record]) } });
            notify(`已${action === 'return' ? '退回' : '通过'}：${record.name}`, { type: 'success' });
          } finally {
            refresh();
          }
        }}
      />
    </Stack>
  );
}

/** What a row offers: view always; edit, delete, submit or recommend again where the status allows it for this side. */
export function ExpertRowActions({ side, committeeId, onView }: { side: 'organizer' | 'recommender' | 'registrar'; committeeId: number; onView: (id: number) => void }) {
  const record = useRecordContext<ExpertRecord>();
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const run = useRun();
  if (!record) return null;
  const { status, returnedStage } = record;
  const editable =
    side === 'organizer'
      ? status === 'draft' || (status === 'returned' && returnedStage === 'registrar')
      : side === 'recommender' && (status === 'recommended' || (status === 'returned' && returnedStage === 'organizer'));
  const resubmit = side === 'organizer' ? status === 'returned' && returnedStage === 'registrar' : side === 'recommender' && status === 'returned' && returnedStage === 'organizer';
  return (
    <Stack direction="row" onClick={(e) => e.stopPropagation()} sx={{ alignItems: 'center' }}>
      <Button label="查看" onClick={() => onView(record.id)}>
        <VisibilityIcon />
      </Button>
      {editable ? (
        <Button label="修改" onClick={() => setEditing(true)}>
          <EditIcon />
        </Button>
      ) : null}
      {resubmit ? (
        <Button
          label={side === 'organizer' ? '重新提交' : '重新推荐'}
          onClick={() =>
            void run(async () => {
              const path = side === 'organizer' ? 'submit' : 'recommendations/resubmit';
              await api(`/api/expert-pools/${committeeId}/${path}`, { method: 'POST', json: { ids: [record.id] } });
              return side === 'organizer' ? `已重新提交：${record.name}` : `已重新推荐：${record.name}`;
            })
          }
        >
          <ReplayIcon />
        </Button>
      ) : null}
      {editable ? (
        <Button label="删除" color="error" onClick={() => setRemoving(true)}>
          <DeleteIcon />
        </Button>
      ) : null}
      {side === 'organizer' && status === 'in_pool' ? (
        <Tooltip title="不活跃的专家不参加专家抽选">
          <Stack direction="row" sx={{ alignItems: 'center' }}>
            <Switch
              size="small"
              checked={record.active}
              onChange={() =>
                void run(async () => {
                  await api(`/api/experts/${record.id}/flags`, { method: 'POST', json: { version: record.version, active: !record.active } });
                  return `${record.name}：${record.active ? '已设为不活跃' : '已设为活跃'}`;
                })
              }
            />
            <span>{record.active ? '活跃' : '不活跃'}</span>
          </Stack>
        </Tooltip>
      ) : null}
      {side === 'organizer' && status === 'in_pool' ? (
        <MuiTextField
          select
          size="small"
          variant="standard"
          value={record.isChair ? 'chair' : record.isViceChair ? 'vice' : 'member'}
          sx={{ ml: 1, minWidth: 96 }}
          onChange={(e) =>
            void run(async () => {
              const role = e.target.value;
              await api(`/api/experts/${record.id}/flags`, { method: 'POST', json: { version: record.version, isChair: role === 'chair', isViceChair: role === 'vice' } });
              return `${record.name}：已设为${role === 'chair' ? '主任委员' : role === 'vice' ? '副主任委员' : '委员'}`;
            })
          }
        >
          <MenuItem value="member">委员</MenuItem>
          <MenuItem value="chair">主任委员</MenuItem>
          <MenuItem value="vice">副主任委员</MenuItem>
        </MuiTextField>
      ) : null}
      {editing ? <ExpertDialog open onClose={() => setEditing(false)} mode="edit" committeeId={committeeId} record={record} omit={side === 'recommender' ? RECOMMENDER_OMITS : []} /> : null}
      <Confirm
        isOpen={removing}
        title={`删除专家：${record.name}`}
        content="删除后不再出现在列表中（办理记录保留），以后可用同一证件号码重新新增。"
        onConfirm={() => {
          setRemoving(false);
          void run(async () => {
            await api(`/api/experts/${record.id}/remove`, { method: 'POST', json: { version: record.version } });
            return `已删除：${record.name}`;
          });
        }}
        onClose={() => setRemoving(false)}
      />
    </Stack>
  );
}
