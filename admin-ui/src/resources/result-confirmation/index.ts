import FactCheckOutlinedIcon from '@mui/icons-material/FactCheckOutlined';

export { ConfirmationPage } from './ConfirmationPage.tsx';
export { MeetingConfirmationPage } from './MeetingConfirmationPage.tsx';
export const icon = FactCheckOutlinedIcon;
