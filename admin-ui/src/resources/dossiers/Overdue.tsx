import { Chip } from '@mui/material';
import { Datagrid, FunctionField, List, TextField } from 'react-admin';
import { formatDateTime } from '../../lib/format.ts';
import type { ApiResponse } from '../../api-types.ts';

type OverdueRecord = ApiResponse<'/api/dossier-chain/overdue'>[number];

/**
 * 转报超时 (notice 003): dossiers a unit has held more than 3 working days. Operators see every
 * unit's, a unit's reviewers their own (the API decides which).
 */
export function DossierOverdueList() {
  return (
    <List title="逐级转报超时的申报材料" empty={false} exporter={false} perPage={50}>
      <Datagrid bulkActionButtons={false} rowClick={false} data-testid="dossier-overdue">
        <TextField source="unitName" label="停留单位" sortable={false} />
        <TextField source="applicantName" label="申报人" sortable={false} />
        <TextField source="activityName" label="评审活动" sortable={false} />
        <FunctionField label="报送本单位时间" render={(r: OverdueRecord) => formatDateTime(r.heldSince)} />
        <TextField source="dueDay" label="应转报日期" sortable={false} />
        <FunctionField label="已停留" render={(r: OverdueRecord) => <Chip size="small" color="error" label={`${r.workingDays} 个工作日`} />} />
      </Datagrid>
    </List>
  );
}
