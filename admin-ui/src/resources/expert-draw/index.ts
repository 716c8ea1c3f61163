export { DrawPage } from './DrawPage.tsx';
export { AttendancePage } from './AttendancePage.tsx';
