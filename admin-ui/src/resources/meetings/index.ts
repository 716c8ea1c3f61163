import EventSeatIcon from '@mui/icons-material/EventSeat';

export { MeetingListPage } from './MeetingListPage.tsx';
export { MeetingShowPage } from './MeetingShowPage.tsx';
export { MeetingPanelsPage } from './MeetingPanelsPage.tsx';
export { MeetingAssignmentPage } from './MeetingAssignmentPage.tsx';
export { MeetingOpenVotingPage } from './MeetingOpenVotingPage.tsx';
export const icon = EventSeatIcon;
