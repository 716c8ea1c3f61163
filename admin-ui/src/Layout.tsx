import type { ReactNode } from 'react';
import { Layout as RaLayout, Menu, usePermissions } from 'react-admin';
import InboxIcon from '@mui/icons-material/Inbox';
import TaskAltIcon from '@mui/icons-material/TaskAlt';
import DescriptionIcon from '@mui/icons-material/Description';
import AccountTreeIcon from '@mui/icons-material/AccountTree';
import TimelineIcon from '@mui/icons-material/Timeline';
import ReportProblemIcon from '@mui/icons-material/ReportProblem';
import ScheduleIcon from '@mui/icons-material/Schedule';
import GroupsIcon from '@mui/icons-material/Groups';
import HomeIcon from '@mui/icons-material/Home';

function AppMenu() {
  const { permissions = [] } = usePermissions<string[]>();
  const can = (p: string) => permissions.includes(p);
  return (
    <Menu>
      <Menu.Item to="/" primaryText="首页" leftIcon={<HomeIcon />} />
      <Menu.Item to="/tasks" primaryText="待办事项" leftIcon={<InboxIcon />} />
      <Menu.Item to="/tasks/done" primaryText="已办事项" leftIcon={<TaskAltIcon />} />
      {can('dossier.apply') ? <Menu.Item to="/my-dossiers" primaryText="我的申报" leftIcon={<DescriptionIcon />} /> : null}
      {can('process.manage') ? <Menu.Item to="/process-definitions" primaryText="流程管理" leftIcon={<AccountTreeIcon />} /> : null}
      {can('process.monitor') ? <Menu.Item to="/process-instances" primaryText="流程实例" leftIcon={<TimelineIcon />} /> : null}
      {can('incident.manage') ? <Menu.Item to="/incidents" primaryText="流程异常" leftIcon={<ReportProblemIcon />} /> : null}
      {can('settings.manage') ? <Menu.Item to="/settings/task-due-dates" primaryText="办理期限设置" leftIcon={<ScheduleIcon />} /> : null}
      {can('settings.manage') ? <Menu.Item to="/review-levels" primaryText="多岗审核配置" leftIcon={<GroupsIcon />} /> : null}
    </Menu>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  return <RaLayout menu={AppMenu}>{children}</RaLayout>;
}
