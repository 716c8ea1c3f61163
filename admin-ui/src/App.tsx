import { lazy } from 'react';
import { Admin, CustomRoutes, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import { LoginPage } from './LoginPage.tsx';
import { authProvider } from './authProvider.ts';
import { dataProvider } from './dataProvider.ts';
import { i18nProvider } from './i18n/index.ts';
import { Layout } from './Layout.tsx';
import { darkTheme, lightTheme } from './theme.ts';
import { Dashboard } from './Dashboard.tsx';
import { ChangePasswordPage } from './ChangePasswordPage.tsx';
import { RegisterApplicantPage, RegisterUnitPage } from './public/RegisterPages.tsx';
import { FeedbackPage, MeetingPublicityPage, PublicPublicityShow } from './resources/result-publicity/index.ts';
import { DoneList, TaskList } from './resources/tasks/TaskList.tsx';
import { TaskPage } from './resources/tasks/TaskPage.tsx';
import { DeclarationPage, DossierShow, MyDossiersPage } from './resources/dossiers/index.ts';
import { DossierOverdueList } from './resources/dossiers/Overdue.tsx';
import { InstanceList } from './resources/instances/InstanceList.tsx';
import { IncidentList } from './resources/incidents/IncidentList.tsx';
import { auditEvents } from './resources/audit-log/index.ts';
import { ProcessMessageList } from './resources/process-messages/ProcessMessageList.tsx';
import { DueDateList } from './resources/settings/DueDateList.tsx';
import { ReviewLevelsPage } from './resources/settings/ReviewLevelsPage.tsx';
import { MyUnitPage } from './resources/org/MyUnitPage.tsx';
import { SubordinateUnitCreate, SubordinateUnitEdit, SubordinateUnitList } from './resources/org/SubordinateUnits.tsx';
import { StaffList } from './resources/org/StaffList.tsx';
import { RolesPage } from './resources/org/RolesPage.tsx';
import { ApplicantList, LockedAccountList } from './resources/org/AccountLists.tsx';
import { DepartmentRouteList } from './resources/org/DepartmentRoutes.tsx';
import { CommitteeCreate, CommitteeEdit, CommitteeList, CommitteeShow } from './resources/committees/Committees.tsx';
import { MessageList } from './resources/messages/MessageList.tsx';
import { MessagePushPage } from './resources/messages/MessagePushPage.tsx';
import { AnnouncementsPage } from './resources/announcements/AnnouncementsPage.tsx';
import { PublicAnnouncementShow, PublicPortal } from './resources/announcements/PublicPortal.tsx';
import { CalendarPage } from './resources/settings/CalendarPage.tsx';
import { ExpertPoolsPage, ExpertsPage } from './resources/experts/index.ts';
import { ActivityEditor, ActivityList, PublicActivityList, PublicActivityShow, PublishedActivityList, PublishedActivityShow } from './resources/activities/index.ts';
import { DossierQueryPage, ForwardedDossierPage } from './resources/dossier-queries/index.ts';
import { AttendancePage, DrawPage } from './resources/expert-draw/index.ts';
import { DefenseImportPage, ExamImportPage, ObjectionsPage, ScoringPage } from './resources/meeting-prep/index.ts';
import { MeetingAssignmentPage, MeetingListPage, MeetingOpenVotingPage, MeetingPanelsPage, MeetingShowPage } from './resources/meetings/index.ts';
import { ConfirmationPage, MeetingConfirmationPage } from './resources/result-confirmation/index.ts';
import { IssuancePage } from './resources/certificate-issuance/index.ts';
import { ExpertHomePage, ExpertMeetingPage, TallyPage } from './resources/ballots/index.ts';
import { CertificateKeysPage, IssuedCertificatesPage, VerifyPage } from './resources/certificate-documents/index.ts';
import { HistoryBodiesPage, HistoryCertificatesPage, HistoryReviewsPage, HistoryUploadPage, HistoryUploadsPage } from './resources/history-data/index.ts';
import { MyTalentPage, TalentReviewsPage, TalentStatsPage } from './resources/talents/index.ts';
import { MyRecognitionsPage, RecognitionReviewsPage } from './resources/title-recognition/index.ts';

// the diagram pages carry bpmn-js; they load when first opened
const ProcessList = lazy(() => import('./resources/processes/ProcessList.tsx').then((m) => ({ default: m.ProcessList })));
const FlowEditor = lazy(() => import('./resources/processes/FlowEditor.tsx').then((m) => ({ default: m.FlowEditor })));
const MigrationPage = lazy(() => import('./resources/processes/MigrationPage.tsx').then((m) => ({ default: m.MigrationPage })));
const IncidentShow = lazy(() => import('./resources/incidents/IncidentShow.tsx').then((m) => ({ default: m.IncidentShow })));
const InstanceViewer = lazy(() => import('./resources/instances/InstanceViewer.tsx').then((m) => ({ default: m.InstanceViewer })));

/** The console: generic inbox and task pages for every flow, organisation management, and the administrators' tools. */
export function App() {
  return (
    <Admin
      title="职称评审信息系统"
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      layout={Layout}
      lightTheme={lightTheme}
      darkTheme={darkTheme}
      dashboard={Dashboard}
      loginPage={LoginPage}
      requireAuth
      disableTelemetry
    >
      <Resource name="tasks" list={TaskList} options={{ label: '待办事项' }} />
      <Resource name="tasks/done" list={DoneList} options={{ label: '已办事项' }} />
      <Resource name="process-definitions" list={ProcessList} options={{ label: '流程管理' }} />
      <Resource name="process-instances" list={InstanceList} options={{ label: '流程实例' }} />
      <Resource name="incidents" list={IncidentList} options={{ label: '流程异常' }} />
      <Resource name="audit-events" list={auditEvents.list} icon={auditEvents.icon} options={{ label: '操作审计' }} />
      <Resource name="process-messages" list={ProcessMessageList} options={{ label: '流程消息' }} />
      <Resource name="settings/task-due-dates" list={DueDateList} options={{ label: '办理期限设置' }} />
      <Resource name="subordinate-units" list={SubordinateUnitList} create={SubordinateUnitCreate} edit={SubordinateUnitEdit} options={{ label: '下级单位管理' }} />
      <Resource name="staff" list={StaffList} options={{ label: '工作人员管理' }} />
      <Resource name="applicants" list={ApplicantList} options={{ label: '申报人账号' }} />
      <Resource name="locked-accounts" list={LockedAccountList} options={{ label: '账号解禁' }} />
      <Resource name="department-routes" list={DepartmentRouteList} options={{ label: '主管部门配置' }} />
      <Resource name="committees" list={CommitteeList} create={CommitteeCreate} edit={CommitteeEdit} show={CommitteeShow} recordRepresentation="name" options={{ label: '评委会备案申报' }} />
      <Resource name="messages" list={MessageList} options={{ label: '消息' }} />
      <Resource name="dossier-chain/overdue" list={DossierOverdueList} options={{ label: '转报超时' }} />
      <Resource name="units" recordRepresentation="name" options={{ label: '单位' }} />
      <Resource name="regions" recordRepresentation="label" options={{ label: '职称业务归属地' }} />
      <Resource name="saved-opinions" options={{ label: '常用意见' }} />
      <Resource name="certificates" options={{ label: '证书' }} />
      <CustomRoutes>
        <Route path="/tasks/:id/handle" element={<TaskPage />} />
        <Route path="/my-dossiers" element={<MyDossiersPage />} />
        <Route path="/my-dossiers/:id" element={<DossierShow />} />
        <Route path="/dossiers/:id" element={<DossierShow />} />
        <Route path="/my-dossiers/:id/declaration" element={<DeclarationPage />} />
        <Route path="/processes/:key/edit" element={<FlowEditor />} />
        <Route path="/processes/:key/migrate" element={<MigrationPage />} />
        <Route path="/incidents/:id/show" element={<IncidentShow />} />
        <Route path="/instances/:id/view" element={<InstanceViewer />} />
        <Route path="/review-levels" element={<ReviewLevelsPage />} />
        <Route path="/my-unit" element={<MyUnitPage />} />
        <Route path="/roles" element={<RolesPage />} />
        <Route path="/calendar" element={<CalendarPage />} />
        <Route path="/experts" element={<ExpertsPage />} />
        <Route path="/expert-pools" element={<ExpertPoolsPage />} />
        <Route path="/activities" element={<ActivityList />} />
        <Route path="/activities/create" element={<ActivityEditor />} />
        <Route path="/activities/:id" element={<ActivityEditor />} />
        <Route path="/published-activities" element={<PublishedActivityList />} />
        <Route path="/published-activities/:id" element={<PublishedActivityShow />} />
        <Route path="/dossier-queries" element={<DossierQueryPage />} />
        <Route path="/forwarded-dossiers" element={<ForwardedDossierPage />} />
        <Route path="/change-password" element={<ChangePasswordPage />} />
        <Route path="/meetings/:meetingId/draw" element={<DrawPage />} />
        <Route path="/meetings/:meetingId/attendance" element={<AttendancePage />} />
        <Route path="/meetings/:meetingId/exam" element={<ExamImportPage />} />
        <Route path="/meetings/:meetingId/defense" element={<DefenseImportPage />} />
        <Route path="/meetings/:meetingId/objections" element={<ObjectionsPage />} />
        <Route path="/activities/:id/scoring" element={<ScoringPage />} />
        <Route path="/meetings" element={<MeetingListPage />} />
        <Route path="/meetings/:id" element={<MeetingShowPage />} />
        <Route path="/meetings/:id/panels" element={<MeetingPanelsPage />} />
        <Route path="/meetings/:id/assignment" element={<MeetingAssignmentPage />} />
        <Route path="/meetings/:id/open-voting" element={<MeetingOpenVotingPage />} />
        <Route path="/meetings/:meetingId/tally" element={<TallyPage />} />
        <Route path="/meetings/:meetingId/publicity" element={<MeetingPublicityPage />} />
        <Route path="/publicity-feedback" element={<FeedbackPage />} />
        <Route path="/meetings/:meetingId/confirmation" element={<MeetingConfirmationPage />} />
        <Route path="/result-confirmations" element={<ConfirmationPage />} />
        <Route path="/certificates" element={<IssuedCertificatesPage />} />
        <Route path="/certificate-keys" element={<CertificateKeysPage />} />
        <Route path="/certificate-issuance" element={<IssuancePage />} />
        <Route path="/history-bodies" element={<HistoryBodiesPage />} />
        <Route path="/history-uploads" element={<HistoryUploadsPage />} />
        <Route path="/history-uploads/:id" element={<HistoryUploadPage />} />
        <Route path="/history-reviews" element={<HistoryReviewsPage />} />
        <Route path="/history-certificates" element={<HistoryCertificatesPage />} />
        <Route path="/my-talent" element={<MyTalentPage />} />
        <Route path="/talent-reviews" element={<TalentReviewsPage />} />
        <Route path="/talent-stats" element={<TalentStatsPage />} />
        <Route path="/message-push" element={<MessagePushPage />} />
        <Route path="/announcements" element={<AnnouncementsPage />} />
        <Route path="/my-title-recognitions" element={<MyRecognitionsPage />} />
        <Route path="/title-recognition-reviews" element={<RecognitionReviewsPage />} />
      </CustomRoutes>
      <CustomRoutes noLayout>
        <Route path="/register-unit" element={<RegisterUnitPage />} />
        <Route path="/register-applicant" element={<RegisterApplicantPage />} />
        <Route path="/public/activities" element={<PublicActivityList />} />
        <Route path="/public/activities/:id" element={<PublicActivityShow />} />
        <Route path="/public/publicity/:id" element={<PublicPublicityShow />} />
        <Route path="/verify" element={<VerifyPage />} />
        <Route path="/portal" element={<PublicPortal />} />
        <Route path="/portal/announcements/:id" element={<PublicAnnouncementShow />} />
        <Route path="/expert" element={<ExpertHomePage />} />
        <Route path="/expert/meetings/:meetingId" element={<ExpertMeetingPage />} />
      </CustomRoutes>
    </Admin>
  );
}
