export { ExpertHomePage, ExpertMeetingPage, isMeetingExpert } from './ExpertPortal.tsx';
export { CredentialSheetButton, TallyPage } from './TallyPage.tsx';
