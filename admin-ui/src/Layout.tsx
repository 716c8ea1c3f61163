import { useEffect, useState, type ReactNode } from 'react';
import { AppBar, Layout as RaLayout, Logout, Menu, UserMenu, usePermissions } from 'react-admin';
import { Badge, ListItemIcon, ListItemText, ListSubheader, MenuItem } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation } from 'react-router-dom';
import InboxIcon from '@mui/icons-material/Inbox';
import TaskAltIcon from '@mui/icons-material/TaskAlt';
import DescriptionIcon from '@mui/icons-material/Description';
import AccountTreeIcon from '@mui/icons-material/AccountTree';
import TimelineIcon from '@mui/icons-material/Timeline';
import ReportProblemIcon from '@mui/icons-material/ReportProblem';
import ManageSearchIcon from '@mui/icons-material/ManageSearch';
import ScheduleIcon from '@mui/icons-material/Schedule';
import GroupsIcon from '@mui/icons-material/Groups';
import HomeIcon from '@mui/icons-material/Home';
import FeedbackIcon from '@mui/icons-material/Feedback';
import BusinessIcon from '@mui/icons-material/Business';
import ApartmentIcon from '@mui/icons-material/Apartment';
import BadgeIcon from '@mui/icons-material/Badge';
import AdminPanelSettingsIcon from '@mui/icons-material/AdminPanelSettings';
import PersonAddIcon from '@mui/icons-material/PersonAdd';
import LockOpenIcon from '@mui/icons-material/LockOpen';
import AltRouteIcon from '@mui/icons-material/AltRoute';
import KeyIcon from '@mui/icons-material/Key';
import GavelIcon from '@mui/icons-material/Gavel';
import PeopleAltIcon from '@mui/icons-material/PeopleAlt';
import FactCheckIcon from '@mui/icons-material/FactCheck';
import EventNoteIcon from '@mui/icons-material/EventNote';
import CampaignIcon from '@mui/icons-material/Campaign';
import MailIcon from '@mui/icons-material/Mail';
import SendIcon from '@mui/icons-material/Send';
import CalendarMonthIcon from '@mui/icons-material/CalendarMonth';
import QueryStatsIcon from '@mui/icons-material/QueryStats';
import ManageAccountsIcon from '@mui/icons-material/ManageAccounts';
import HourglassBottomIcon from '@mui/icons-material/HourglassBottom';
import ForwardToInboxIcon from '@mui/icons-material/ForwardToInbox';
import { icon as MeetingIcon } from './resources/meetings/index.ts';
import { icon as ConfirmationIcon } from './resources/result-confirmation/index.ts';
import { icon as CertificateIcon } from './resources/certificate-documents/index.ts';
import VpnKeyIcon from '@mui/icons-material/VpnKey';
import { icon as IssuanceIcon } from './resources/certificate-issuance/index.ts';
import { icon as HistoryIcon } from './resources/history-data/index.ts';
import { icon as TalentIcon } from './resources/talents/index.ts';
import { icon as RecognitionIcon } from './resources/title-recognition/index.ts';
import { api, session } from './lib/api.ts';
import { ChangePasswordPage } from './ChangePasswordPage.tsx';

/** The mail icon with the number of unread messages, refreshed every minute. */
function UnreadBadge() {
  const { data } = useQuery({ queryKey: ['messages-unread'], queryFn: () => api<{ count: number }>('/api/messages/unread-count'), refetchInterval: 60_000, retry: false });
  return (
    <Badge color="error" badgeContent={data?.count ?? 0} max={99} data-testid="messages-badge">
      <MailIcon />
    </Badge>
  );
}

/**
 * The inbox icon with the number of open tasks: read again on every page change (a completed task
 * leaves its page) and every minute; a batch refreshes it with the lists.
 */
function InboxBadge() {
  const { pathname } = useLocation();
  const { data, refetch } = useQuery({ queryKey: ['tasks-open-count'], queryFn: () => api<Array<{ count: number }>>('/api/tasks/counts'), refetchInterval: 60_000, retry: false });
  useEffect(() => {
    void refetch();
  }, [pathname, refetch]);
  const count = (data ?? []).reduce((sum, c) => sum + c.count, 0);
  return (
    <Badge color="error" badgeContent={count} max={999} data-testid="inbox-badge">
      <InboxIcon />
    </Badge>
  );
}

function AppMenu() {
  const { permissions = [] } = usePermissions<string[]>();
  const can = (...any: string[]) => any.some((p) => permissions.includes(p));
  const org = can('unit.profile', 'review_levels.manage', 'staff.manage', 'role.manage', 'unit.subordinates', 'applicant.manage', 'account.unlock', 'routing.manage');
  const committees = can('committee.manage', 'expert.manage', 'expert.recommend', 'expert.review', 'activity.manage', 'meeting.manage');
  const system = can('process.manage', 'process.monitor', 'incident.manage', 'settings.manage', 'audit.view');
  return (
    <Menu>
      <Menu.Item to="/" primaryText="首页" leftIcon={<HomeIcon />} />
      <Menu.Item to="/tasks" primaryText="待办事项" leftIcon={<InboxBadge />} />
      <Menu.Item to="/tasks/done" primaryText="已办事项" leftIcon={<TaskAltIcon />} />
      <Menu.Item to="/messages" primaryText="消息" leftIcon={<UnreadBadge />} />
      {can('message.send') ? <Menu.Item to="/message-push" primaryText="消息推送" leftIcon={<SendIcon />} /> : null}
      {can('announcement.manage') ? <Menu.Item to="/announcements" primaryText="通知公告管理" leftIcon={<CampaignIcon />} /> : null}
      <Menu.Item to="/publicity-feedback" primaryText="我要反馈" leftIcon={<FeedbackIcon />} />
      {can('dossier.apply') ? <Menu.Item to="/my-dossiers" primaryText="我的申报" leftIcon={<DescriptionIcon />} /> : null}
      {can('dossier.apply') ? <Menu.Item to="/my-title-recognitions" primaryText="我的职称确认" leftIcon={<RecognitionIcon />} /> : null}
      {can('recognition.review') ? <Menu.Item to="/title-recognition-reviews" primaryText="职称确认审核" leftIcon={<RecognitionIcon />} /> : null}
      {can('dossier.query') ? <Menu.Item to="/dossier-queries" primaryText="申报材料综合查询" leftIcon={<QueryStatsIcon />} /> : null}
      {can('result.confirm') ? <Menu.Item to="/result-confirmations" primaryText="评审结果确认" leftIcon={<ConfirmationIcon />} /> : null}
      {can('dossier.review.own', 'dossier.review.subordinate') ? <Menu.Item to="/forwarded-dossiers" primaryText="评审人员统计" leftIcon={<ManageAccountsIcon />} /> : null}
      {can('process.monitor', 'dossier.review.own', 'dossier.review.subordinate') ? <Menu.Item to="/dossier-chain/overdue" primaryText="转报超时" leftIcon={<HourglassBottomIcon />} /> : null}
      {!can('process.monitor') && can('dossier.review.own', 'dossier.review.subordinate', 'dossier.receive') ? <Menu.Item to="/process-instances" primaryText="流程实例" leftIcon={<TimelineIcon />} /> : null}
      {org ? <ListSubheader sx={{ bgcolor: 'transparent', lineHeight: '32px' }}>单位管理</ListSubheader> : null}
      {can('unit.profile') ? <Menu.Item to="/my-unit" primaryText="本级单位信息" leftIcon={<BusinessIcon />} /> : null}
      {can('review_levels.manage') ? <Menu.Item to="/review-levels" primaryText="多岗审核配置" leftIcon={<GroupsIcon />} /> : null}
      {can('staff.manage') ? <Menu.Item to="/staff" primaryText="工作人员管理" leftIcon={<BadgeIcon />} /> : null}
      {can('role.manage') ? <Menu.Item to="/roles" primaryText="角色管理" leftIcon={<AdminPanelSettingsIcon />} /> : null}
      {can('unit.subordinates') ? <Menu.Item to="/subordinate-units" primaryText="下级单位管理" leftIcon={<ApartmentIcon />} /> : null}
      {can('applicant.manage') ? <Menu.Item to="/applicants" primaryText="申报人账号" leftIcon={<PersonAddIcon />} /> : null}
      {can('account.unlock') ? <Menu.Item to="/locked-accounts" primaryText="账号解禁" leftIcon={<LockOpenIcon />} /> : null}
      {can('routing.manage') ? <Menu.Item to="/department-routes" primaryText="主管部门配置" leftIcon={<AltRouteIcon />} /> : null}
      {committees ? <ListSubheader sx={{ bgcolor: 'transparent', lineHeight: '32px' }}>评委会与评审活动</ListSubheader> : null}
      {can('committee.manage') ? <Menu.Item to="/committees" primaryText="评委会备案申报" leftIcon={<GavelIcon />} /> : null}
      {can('expert.manage', 'expert.recommend') ? <Menu.Item to="/experts" primaryText="专家库管理" leftIcon={<PeopleAltIcon />} /> : null}
      {can('expert.review') ? <Menu.Item to="/expert-pools" primaryText="专家库审核" leftIcon={<FactCheckIcon />} /> : null}
      {can('activity.manage') ? <Menu.Item to="/activities" primaryText="评审活动发布" leftIcon={<EventNoteIcon />} /> : null}
      {can('meeting.manage') ? <Menu.Item to="/meetings" primaryText="评审会议管理" leftIcon={<MeetingIcon />} /> : null}
      <Menu.Item to="/published-activities" primaryText="评审活动公告" leftIcon={<CampaignIcon />} />
      {can('certificate.issue') ? <ListSubheader sx={{ bgcolor: 'transparent', lineHeight: '32px' }}>电子证书</ListSubheader> : null}
      {can('certificate.issue') ? <Menu.Item to="/certificate-issuance" primaryText="证书生成" leftIcon={<IssuanceIcon />} /> : null}
      {can('certificate.issue') ? <Menu.Item to="/certificates" primaryText="已发放" leftIcon={<CertificateIcon />} /> : null}
      {can('certificate.issue') ? <Menu.Item to="/certificate-keys" primaryText="证书签名密钥" leftIcon={<VpnKeyIcon />} /> : null}
      {can('history.upload', 'history.review', 'history.bodies') ? <ListSubheader sx={{ bgcolor: 'transparent', lineHeight: '32px' }}>历史职称数据</ListSubheader> : null}
      {can('history.upload') ? <Menu.Item to="/history-uploads" primaryText="历史职称数据上传" leftIcon={<HistoryIcon />} /> : null}
      {can('history.review') ? <Menu.Item to="/history-reviews" primaryText="历史职称数据审核" leftIcon={<HistoryIcon />} /> : null}
      {can('history.review') ? <Menu.Item to="/history-certificates" primaryText="历史证书生成" leftIcon={<HistoryIcon />} /> : null}
      {can('history.bodies') ? <Menu.Item to="/history-bodies" primaryText="历史评审机构管理" leftIcon={<HistoryIcon />} /> : null}
      {can('dossier.apply', 'talent.review', 'talent.stats') ? <ListSubheader sx={{ bgcolor: 'transparent', lineHeight: '32px' }}>专技人才</ListSubheader> : null}
      {can('dossier.apply') ? <Menu.Item to="/my-talent" primaryText="我的专技人才信息" leftIcon={<TalentIcon />} /> : null}
      {can('talent.review') ? <Menu.Item to="/talent-reviews" primaryText="专技人才审核" leftIcon={<TalentIcon />} /> : null}
      {can('talent.stats') ? <Menu.Item to="/talent-stats" primaryText="专技人才统计" leftIcon={<TalentIcon />} /> : null}
      {system ? <ListSubheader sx={{ bgcolor: 'transparent', lineHeight: '32px' }}>系统管理</ListSubheader> : null}
      {can('process.manage') ? <Menu.Item to="/process-definitions" primaryText="流程管理" leftIcon={<AccountTreeIcon />} /> : null}
      {can('process.monitor') ? <Menu.Item to="/process-instances" primaryText="流程实例" leftIcon={<TimelineIcon />} /> : null}
      {can('incident.manage') ? <Menu.Item to="/incidents" primaryText="流程异常" leftIcon={<ReportProblemIcon />} /> : null}
      {can('process.monitor') ? <Menu.Item to="/process-messages" primaryText="流程消息" leftIcon={<ForwardToInboxIcon />} /> : null}
      {can('settings.manage') ? <Menu.Item to="/settings/task-due-dates" primaryText="办理期限设置" leftIcon={<ScheduleIcon />} /> : null}
      {can('settings.manage') ? <Menu.Item to="/calendar" primaryText="工作日历" leftIcon={<CalendarMonthIcon />} /> : null}
      {can('audit.view') ? <Menu.Item to="/audit-events" primaryText="操作审计" leftIcon={<ManageSearchIcon />} /> : null}
    </Menu>
  );
}

function AppUserMenu() {
  return (
    <UserMenu>
      <MenuItem component={Link} to="/change-password">
        <ListItemIcon>
          <KeyIcon fontSize="small" />
        </ListItemIcon>
        <ListItemText>修改密码</ListItemText>
      </MenuItem>
      <Logout />
    </UserMenu>
  );
}

function AppAppBar() {
  return <AppBar userMenu={<AppUserMenu />} />;
}

export function Layout({ children }: { children: ReactNode }) {
  // an initial password set by someone else is replaced before anything else is shown
  const [mustChange, setMustChange] = useState(() => Boolean(session.user()?.mustChangePassword));
  return (
    // react-admin's layout is as wide as its widest content (min-width: fit-content, and flex items
    // that may not shrink): on a phone one wide table would make the whole page scroll sideways
    // instead of scrolling inside its box (theme.ts)
    <RaLayout menu={AppMenu} appBar={AppAppBar} sx={(theme) => ({ [theme.breakpoints.down('sm')]: { '&, & .RaLayout-appFrame, & .RaLayout-contentWithSidebar, & .RaLayout-content': { minWidth: 0 } } })}>
      {mustChange ? <ChangePasswordPage forced onChanged={() => setMustChange(false)} /> : children}
    </RaLayout>
  );
}
