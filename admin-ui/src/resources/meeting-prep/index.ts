export { ExamImportPage, DefenseImportPage } from './PrepImportPage.tsx';
export { ObjectionsPage } from './ObjectionsPage.tsx';
export { ScoringPage } from './ScoringPage.tsx';
export { DossierMeetingNotices, MyMeetingNoticesCard } from './MeetingNotices.tsx';
