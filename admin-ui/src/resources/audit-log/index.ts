import ManageSearchIcon from '@mui/icons-material/ManageSearch';
import { AuditEventList } from './AuditEventList.tsx';

/** 操作审计: the administrative audit log (province administrators). */
export const auditEvents = { list: AuditEventList, icon: ManageSearchIcon };
export { AuditEventList };
